package dev.adapterhub.registry.security;

import dev.adapterhub.registry.config.RegistryConfig;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies OIDC / JWT bearer tokens locally (SmallRye JWT): signature against the configured keys, issuer,
 * audience and expiry. No identity server is called. Roles come from the groups claim:
 * {@code team:<team>:<role>} and {@code platform:admin}.
 */
@ApplicationScoped
public class JwtVerifier {

    private static final Logger LOG = Logger.getLogger(JwtVerifier.class);
    private static final String PLATFORM_ADMIN = "platform:admin";

    private final Optional<DefaultJWTParser> parser;
    private final String groupsClaim;

    public JwtVerifier(RegistryConfig config) {
        RegistryConfig.Jwt jwt = config.security().jwt();
        this.groupsClaim = jwt.groupsClaim();
        if (jwt.issuer().isPresent() && jwt.publicKeyLocation().isPresent()) {
            JWTAuthContextInfo context = new JWTAuthContextInfo(jwt.publicKeyLocation().get(), jwt.issuer().get());
            jwt.audience().ifPresent(audience -> context.setExpectedAudience(Set.of(audience)));
            context.setGroupsPath(groupsClaim);
            this.parser = Optional.of(new DefaultJWTParser(context));
        } else {
            this.parser = Optional.empty();
        }
    }

    /** The caller the token names; empty when it does not verify (or no issuer is configured). */
    public Optional<Principal> verify(String token) {
        if (parser.isEmpty()) {
            return Optional.empty();
        }
        JsonWebToken jwt;
        try {
            jwt = parser.get().parse(token);
        } catch (ParseException e) {
            LOG.debugf("A bearer token was refused: %s", e.getMessage());
            return Optional.empty();
        }
        String subject = Optional.ofNullable(jwt.<String>getClaim("preferred_username")).orElse(jwt.getSubject());
        if (subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        Map<String, Role> teams = new LinkedHashMap<>();
        boolean platformAdmin = false;
        for (String group : groups(jwt)) {
            if (PLATFORM_ADMIN.equals(group)) {
                platformAdmin = true;
            }
            String[] parts = group.split(":");
            if (parts.length == 3 && parts[0].equals("team")) {
                parseRole(parts[2]).ifPresent(role -> teams.merge(parts[1], role,
                        (a, b) -> a.atLeast(b) ? a : b));
            }
        }
        Set<Scope> scopes = platformAdmin ? EnumSet.allOf(Scope.class) : EnumSet.of(Scope.READ, Scope.WRITE,
                Scope.ADMIN, Scope.INFERENCE);
        return Optional.of(new Principal("user:" + subject, Principal.Kind.USER, platformAdmin, teams, scopes, null,
                null));
    }

    private Collection<String> groups(JsonWebToken jwt) {
        Set<String> groups = jwt.getGroups();
        return groups == null ? Set.of() : groups;
    }

    private static Optional<Role> parseRole(String value) {
        for (Role role : Role.values()) {
            if (role.name().equalsIgnoreCase(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
