package dev.adapterhub.registry;

import dev.adapterhub.registry.support.Api;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * OIDC / JWT bearer tokens, verified locally against the issuer's public key: no identity server runs. The key
 * pair is made for this test run; the registry reads the public half from a PEM file.
 */
@QuarkusTest
@TestProfile(JwtAuthenticationIT.WithIssuer.class)
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class JwtAuthenticationIT {

    static final String ISSUER = "https://login.example.test/realms/adapterhub";
    /**
     * The issuer's key pair, kept in files: the profile (which hands the public key to the registry) and the test
     * (which signs) run in different class loaders, so a static field would hold two different pairs.
     */
    private static final KeyPair KEYS = issuerKeys();
    private static final KeyPair STRANGER = keyPair();

    public static class WithIssuer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("adapterhub.security.jwt.issuer", ISSUER,
                    "adapterhub.security.jwt.public-key-location", publicKeyFile().toUri().toString(),
                    "adapterhub.security.jwt.audience", "adapterhub");
        }
    }

    @Test
    void aSignedTokenIsTheUserWithTheRolesItsGroupsName() {
        String team = Api.unique("jwt");
        Api.ensureTeam(team);
        String writer = token("alice", Set.of("team:" + team + ":writer", "team:elsewhere:reader"), KEYS, ISSUER,
                Instant.now().plusSeconds(300));
        given().auth().oauth2(writer).get("/api/v1/whoami").then().statusCode(200)
                .body("name", equalTo("user:alice")).body("kind", equalTo("USER"))
                .body("platformAdmin", equalTo(false)).body("teams." + team, equalTo("WRITER"));
        String base = Api.registerTinyBase();
        given().auth().oauth2(writer).contentType(ContentType.JSON).body(Map.of("name", Api.unique("a"),
                "team", team, "baseModel", base, "method", "LORA")).post("/api/v1/adapters").then().statusCode(201)
                .body("createdBy", equalTo("user:alice"));
        given().auth().oauth2(writer).contentType(ContentType.JSON).body(Map.of("name", Api.unique("t")))
                .post("/api/v1/teams").then().statusCode(403);

        String admin = token("root", Set.of("platform:admin"), KEYS, ISSUER, Instant.now().plusSeconds(300));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", Api.unique("t")))
                .post("/api/v1/teams").then().statusCode(201).body("createdBy", equalTo("user:root"));
    }

    @Test
    void expiredForeignOrWronglyIssuedTokensAreRefused() {
        Set<String> groups = Set.of("platform:admin");
        for (String token : new String[]{
                token("a", groups, KEYS, ISSUER, Instant.now().minusSeconds(600)),
                token("a", groups, STRANGER, ISSUER, Instant.now().plusSeconds(300)),
                token("a", groups, KEYS, "https://elsewhere.test", Instant.now().plusSeconds(300)),
                "not.a.jwt"}) {
            given().auth().oauth2(token).get("/api/v1/whoami").then().statusCode(401)
                    .contentType("application/problem+json");
        }
    }

    private static String token(String user, Set<String> groups, KeyPair keys, String issuer, Instant expires) {
        return Jwt.issuer(issuer).subject(user).claim("preferred_username", user).audience("adapterhub")
                .groups(groups).issuedAt(expires.minusSeconds(900)).expiresAt(expires).sign(keys.getPrivate());
    }

    private static Path keyDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "adapterhub-jwt-test-" + ProcessHandle.current().pid());
    }

    private static Path publicKeyFile() {
        issuerKeys();
        return keyDirectory().resolve("public.pem");
    }

    private static synchronized KeyPair issuerKeys() {
        try {
            Path dir = keyDirectory();
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (Files.exists(dir.resolve("private.der"))) {
                return new KeyPair(
                        rsa.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(dir.resolve("public.der")))),
                        rsa.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve("private.der")))));
            }
            KeyPair pair = keyPair();
            Files.createDirectories(dir);
            Files.write(dir.resolve("public.der"), pair.getPublic().getEncoded());
            Files.writeString(dir.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            Files.write(dir.resolve("private.der"), pair.getPrivate().getEncoded());
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
