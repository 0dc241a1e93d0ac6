package dev.adapterhub.registry.security;

import dev.adapterhub.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The platform's own accounts, whose keys come from configuration (Helm: Secrets): the platform admin and one
 * account per service, each with exactly the scopes its service needs.
 */
@ApplicationScoped
public class ServiceAccounts {

    private record Account(String keySha256, Principal principal) {
    }

    private final List<Account> accounts = new ArrayList<>();

    public ServiceAccounts(RegistryConfig config) {
        RegistryConfig.Security security = config.security();
        add(security.adminKeys(), new Principal("service:platform-admin", Principal.Kind.SERVICE, true, Map.of(),
                EnumSet.allOf(Scope.class), null, null));
        add(security.workerKeys(), service("training-worker", EnumSet.of(Scope.READ_ALL, Scope.JOBS_EXECUTE)));
        add(security.gatewayKeys(), service("serving-gateway", EnumSet.of(Scope.READ_ALL)));
        add(security.transferKeys(), service("transfer-service", EnumSet.of(Scope.READ_ALL, Scope.TRANSFERS)));
    }

    /** The account this key belongs to; every configured key is compared, in constant time each. */
    public Optional<Principal> find(String key) {
        String hash = ApiKeys.hash(key);
        Principal found = null;
        for (Account account : accounts) {
            if (ApiKeys.sameHash(hash, account.keySha256()) && found == null) {
                found = account.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    private void add(Optional<List<String>> keys, Principal principal) {
        keys.orElse(List.of()).stream()
                .map(String::strip)
                .filter(key -> !key.isEmpty())
                .forEach(key -> accounts.add(new Account(ApiKeys.hash(key), principal)));
    }

    private static Principal service(String name, Set<Scope> scopes) {
        return new Principal("service:" + name, Principal.Kind.SERVICE, false, Map.of(), scopes, null, null);
    }
}
