package dev.adapterhub.registry.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.registry.support.TestHostResolver;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks against a real receiver on loopback: signed per Standard Webhooks (checked here by an implementation of
 * the spec written from the spec, not the registry's), retried with the same webhook-id through failures, timeouts
 * and 429 + Retry-After, logged per attempt, replayed, disabled after persistent failure, and never sent into the
 * registry's own network.
 */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class WebhookIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    private Receiver receiver;
    private String team;
    private String base;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new Receiver();
        team = Api.unique("hooks");
        Api.ensureTeam(team);
        base = Api.registerTinyBase();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void theTeamsEventsArriveSignedAndOtherTeamsEventsNever() throws Exception {
        JsonPath created = subscribe("/ok", List.of("dev.adapterhub.registry.adapter.*",
                "dev.adapterhub.registry.adapter-version.*"));
        String secret = created.getString("secret");
        String mine = Api.unique("mine");
        String theirs = Api.unique("theirs");
        Api.createAdapter(theirs, Api.unique("other-team"), base, "LORA", List.of()).then().statusCode(201);
        Api.createAdapter(mine, team, base, "LORA", List.of()).then().statusCode(201);
        Api.uploadVersion(mine, Fixtures.lora(4, 5)).then().statusCode(201);

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/ok").size() >= 2);
        List<Receiver.Request> got = receiver.requests("/ok");
        assertEquals(2, got.size(), "adapter.created and adapter-version.published of the team's adapter only");
        for (Receiver.Request request : got) {
            assertTrue(verifies(request, List.of(secret)), "the signature verifies: " + request.headers());
            assertEquals("application/json", request.header("content-type"));
            JsonNode event = JSON.readTree(request.body());
            assertEquals(mine, event.at("/data/adapterName").isMissingNode() ? event.at("/data/name").asText()
                    : event.at("/data/adapterName").asText());
            assertFalse(request.body().contains(theirs));
        }
        assertEquals("dev.adapterhub.registry.adapter.created", JSON.readTree(got.get(0).body()).get("type").asText());
        String id = created.getString("webhook.id");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .get(hooks() + "/" + id + "/deliveries?state=DELIVERED").then().statusCode(200)
                .body("total", equalTo(2)));
        String delivery = given().get(hooks() + "/" + id + "/deliveries").then().extract().path("items[0].id");
        given().get(hooks() + "/" + id + "/deliveries/" + delivery).then().statusCode(200)
                .body("log[0].statusCode", equalTo(204)).body("log[0].durationMs", greaterThanOrEqualTo(0));
    }

    @Test
    void aSubscriptionNeverReceivesEventsFromBeforeItExisted() throws Exception {
        String mine = Api.unique("mine");
        String adapterId = Api.createAdapter(mine, team, base, "LORA", List.of()).then().statusCode(201)
                .extract().path("id");
        JsonPath created = subscribe("/new", List.of("dev.adapterhub.registry.adapter.*",
                "dev.adapterhub.registry.adapter-version.*"));
        Instant subscribedAt = Instant.parse(created.getString("webhook.createdAt"));
        // An event of the team's adapter from before the subscription, which the fan-out takes only now (as when
        // the Kafka relay held its row): already published, so nothing but the fan-out reads it.
        UUID earlier = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "insert into outbox_event (id, aggregate_type, aggregate_id, event_type, payload, created_at, "
                        + "published_at) values (?, 'adapter', ?, 'dev.adapterhub.registry.adapter.created', ?, ?, "
                        + "now())")) {
            s.setObject(1, earlier);
            s.setObject(2, UUID.fromString(adapterId));
            s.setString(3, "{\"id\": \"" + earlier + "\", \"type\": \"dev.adapterhub.registry.adapter.created\"}");
            s.setObject(4, subscribedAt.minusMillis(1).atOffset(ZoneOffset.UTC));
            s.executeUpdate();
        }
        Api.uploadVersion(mine, Fixtures.lora(4, 5)).then().statusCode(201);

        // wait until the upload's event has arrived and the fan-out has taken the earlier one too
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/new").size() >= 1
                && count("select count(*) from outbox_event where webhooks_at is not null and id = '" + earlier
                + "'") == 1);
        List<Receiver.Request> got = receiver.requests("/new");
        assertEquals(1, got.size(), "only the upload's event: " + got);
        assertEquals("dev.adapterhub.registry.adapter-version.published",
                JSON.readTree(got.get(0).body()).get("type").asText());
        assertEquals(0, count("select count(*) from webhook_delivery where event_id = '" + earlier + "'"));
    }

    @Test
    void failuresAreRetriedWithTheSameIdHonouringRetryAfterAndLogged() throws Exception {
        receiver.script("/flaky", 500, Receiver.SLOW, 200);
        receiver.script("/busy", 429, 200);
        receiver.header("/busy", "Retry-After: 3");
        String flaky = subscribe("/flaky", List.of("dev.adapterhub.registry.webhook.test")).getString("webhook.id");
        String busy = subscribe("/busy", List.of("dev.adapterhub.registry.webhook.test")).getString("webhook.id");
        String flakyDelivery = given().post(hooks() + "/" + flaky + "/test").then().statusCode(202)
                .extract().path("id");
        given().post(hooks() + "/" + busy + "/test").then().statusCode(202);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get(hooks() + "/" + flaky + "/deliveries/" + flakyDelivery).then()
                .body("state", equalTo("DELIVERED")).body("attempts", equalTo(3)));
        JsonPath log = given().get(hooks() + "/" + flaky + "/deliveries/" + flakyDelivery).then().extract().jsonPath();
        assertEquals(500, log.getInt("log[0].statusCode"));
        assertEquals("answer 500 to call 1", log.getString("log[0].responseBody"), "the receiver's answer is kept");
        assertNull(log.get("log[1].statusCode"), "the slow answer timed out: no status");
        assertTrue(log.getString("log[1].error").contains("Timeout"), log.getString("log[1].error"));
        assertEquals(200, log.getInt("log[2].statusCode"));
        List<Receiver.Request> attempts = receiver.requests("/flaky");
        assertEquals(3, attempts.size());
        assertEquals(1, attempts.stream().map(r -> r.header("webhook-id")).distinct().count(),
                "the same webhook-id on every attempt");

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/busy").size() >= 2);
        List<Receiver.Request> busyAttempts = receiver.requests("/busy");
        Duration waited = Duration.between(busyAttempts.get(0).at(), busyAttempts.get(1).at());
        assertTrue(waited.toMillis() >= 2_900, "Retry-After: 3 was honoured, waited " + waited);
    }

    @Test
    void replaysResendOneDeliveryOrATimeRangeWithTheirIds() throws Exception {
        String id = subscribe("/ok", List.of("dev.adapterhub.registry.webhook.test")).getString("webhook.id");
        Instant since = Instant.now().minusSeconds(1);
        String first = given().post(hooks() + "/" + id + "/test").then().statusCode(202).extract().path("id");
        given().post(hooks() + "/" + id + "/test").then().statusCode(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/ok").size() == 2);
        String firstMessage = given().get(hooks() + "/" + id + "/deliveries/" + first).then()
                .extract().path("messageId");

        given().post(hooks() + "/" + id + "/deliveries/" + first + "/replay").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/ok").size() == 3);
        assertEquals(firstMessage, receiver.requests("/ok").get(2).header("webhook-id"));

        given().contentType(ContentType.JSON).body(Map.of("since", since.toString()))
                .post(hooks() + "/" + id + "/replay").then().statusCode(200).body("replayed", equalTo(2));
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/ok").size() == 5);
        given().get(hooks() + "/" + id + "/deliveries/" + first).then().body("attempts", equalTo(3));
    }

    @Test
    void persistentFailureDisablesTheSubscriptionAndSaysWhy() throws Exception {
        receiver.script("/down", 503);
        String id = subscribe("/down", List.of("dev.adapterhub.registry.webhook.test")).getString("webhook.id");
        given().post(hooks() + "/" + id + "/test").then().statusCode(202);
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> given().get(hooks() + "/" + id).then()
                .body("enabled", equalTo(false)).body("consecutiveFailures", equalTo(6))
                .body("disabledReason", containsString("HTTP 503")));
        int sent = receiver.requests("/down").size();
        assertEquals(6, sent, "the configured six attempts, then nothing");
        assertEquals(1, count("select count(*) from outbox_event where event_type = "
                + "'dev.adapterhub.registry.webhook.disabled' and payload like '%" + id + "%'"));
        // enabled again by its admins: the failure count starts over
        given().contentType(ContentType.JSON).body(Map.of("enabled", true)).patch(hooks() + "/" + id).then()
                .statusCode(200).body("enabled", equalTo(true)).body("consecutiveFailures", equalTo(0));
    }

    @Test
    void targetsInsideTheRegistrysNetworkAreRefusedAndRedirectsNotFollowed() throws Exception {
        for (String url : List.of("http://127.0.0.1:8080/hook", "http://[::1]:8080/hook",
                "http://169.254.169.254/latest/meta-data/", "http://" + TestHostResolver.PRIVATE_HOST + "/hook",
                "http://10.0.0.7/hook", "http://0.0.0.0:9000/", receiver.loopbackUrl("/ok"), "ftp://example.com/x",
                "http://user:pass@localhost/x")) {
            Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("url", url, "eventTypes",
                    List.of("*"))).post(hooks()), 400);
        }
        given().contentType(ContentType.JSON).body(Map.of("url", "http://" + TestHostResolver.PRIVATE_HOST + "/x",
                "eventTypes", List.of("*"))).post(hooks()).then().body("detail", containsString("10.1.2.3"));

        receiver.script("/redirect", 302);
        receiver.header("/redirect", "Location: " + receiver.loopbackUrl("/inside"));
        String id = subscribe("/redirect", List.of("dev.adapterhub.registry.webhook.test")).getString("webhook.id");
        String delivery = given().post(hooks() + "/" + id + "/test").then().extract().path("id");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given()
                .get(hooks() + "/" + id + "/deliveries/" + delivery).then()
                .body("log[0].statusCode", equalTo(302))
                .body("log[0].error", containsString("redirects are not followed")));
        assertEquals(0, receiver.requests("/inside").size(), "the redirect to loopback was not followed");
    }

    @Test
    void secretsAreEncryptedAtRestAndARotationSignsWithBoth() throws Exception {
        JsonPath created = subscribe("/ok", List.of("dev.adapterhub.registry.webhook.test"));
        String id = created.getString("webhook.id");
        String old = created.getString("secret");
        assertTrue(old.startsWith("whsec_"));
        String stored = string("select secret from webhook_subscription where id = '" + id + "'");
        assertFalse(stored.contains(old.substring(6)), "the secret is not stored in clear");
        assertTrue(stored.startsWith("v1:"));
        given().get(hooks() + "/" + id).then().body("$", not(hasKey("secret")));

        String fresh = given().post(hooks() + "/" + id + "/rotate-secret").then().statusCode(200)
                .body("webhook.previousSecretUntil", notNullValue()).extract().path("secret");
        given().post(hooks() + "/" + id + "/test").then().statusCode(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/ok").size() == 1);
        Receiver.Request request = receiver.requests("/ok").get(0);
        assertEquals(2, request.header("webhook-signature").split(" ").length);
        assertTrue(verifies(request, List.of(fresh)), "the new secret verifies");
        assertTrue(verifies(request, List.of(old)), "the old one too, during the overlap");
        assertFalse(verifies(request, List.of("whsec_" + Base64.getEncoder().encodeToString(new byte[32]))),
                "a wrong secret does not");
    }

    @Test
    void onlyTheTeamsAdminsManageItsWebhooks() {
        String id = subscribe("/ok", List.of("*")).getString("webhook.id");
        String writer = given().contentType(ContentType.JSON).body(Map.of("name", "w", "role", "WRITER"))
                .post("/api/v1/teams/" + team + "/api-keys").then().statusCode(201).extract().path("key");
        String otherTeam = Api.unique("other");
        Api.ensureTeam(otherTeam);
        String outsider = given().contentType(ContentType.JSON).body(Map.of("name", "a", "role", "ADMIN"))
                .post("/api/v1/teams/" + otherTeam + "/api-keys").then().statusCode(201).extract().path("key");
        given().auth().oauth2(writer).get(hooks()).then().statusCode(403);
        given().auth().oauth2(writer).post(hooks() + "/" + id + "/test").then().statusCode(403);
        given().auth().oauth2(outsider).get(hooks() + "/" + id).then().statusCode(404);
        given().auth().none().get(hooks()).then().statusCode(401);
    }

    private JsonPath subscribe(String path, List<String> types) {
        return given().contentType(ContentType.JSON).body(Map.of("url", receiver.url(path), "eventTypes", types))
                .post(hooks()).then().statusCode(201).extract().jsonPath();
    }

    private String hooks() {
        return "/api/v1/teams/" + team + "/webhooks";
    }

    /**
     * Standard Webhooks verification, from the spec: HMAC-SHA256 over "{id}.{timestamp}.{body}" with the base64
     * key after "whsec_", compared with each space-separated "v1,<base64>" signature; timestamp within 5 minutes.
     */
    private static boolean verifies(Receiver.Request request, List<String> secrets) throws Exception {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        String signatures = request.header("webhook-signature");
        if (id == null || timestamp == null || signatures == null
                || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        for (String secret : secrets) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                    "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(
                    mac.doFinal((id + "." + timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8)));
            for (String signature : signatures.split(" ")) {
                if (signature.equals("v1," + expected)) {
                    return true;
                }
            }
        }
        return false;
    }

    private long count(String sql) throws Exception {
        return Long.parseLong(string(sql));
    }

    private String string(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getString(1);
        }
    }
}
