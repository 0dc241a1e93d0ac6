package dev.adapterhub.registry.team.service;

import dev.adapterhub.registry.common.Names;
import dev.adapterhub.registry.error.AlreadyExistsException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.ApiKeyStore;
import dev.adapterhub.registry.security.ApiKeys;
import dev.adapterhub.registry.security.Role;
import dev.adapterhub.registry.security.Scope;
import dev.adapterhub.registry.team.dto.ApiKeyDto;
import dev.adapterhub.registry.team.dto.CreateApiKeyRequest;
import dev.adapterhub.registry.team.dto.CreatedApiKeyDto;
import dev.adapterhub.registry.team.entity.ApiKey;
import dev.adapterhub.registry.team.repository.ApiKeyRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Team API keys: created, listed and revoked by the team's admins; looked up by the authenticator. */
@ApplicationScoped
public class ApiKeyService implements ApiKeyStore {

    /** Last-used time is written at most this often per key, so that busy keys do not write on every call. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Scopes a team key may carry; the service scopes belong to the platform's own accounts. */
    private static final Set<Scope> TEAM_SCOPES = EnumSet.of(Scope.READ, Scope.WRITE, Scope.ADMIN, Scope.INFERENCE);

    private final ApiKeyRepository repository;
    private final TeamService teams;
    private final Access access;

    public ApiKeyService(ApiKeyRepository repository, TeamService teams, Access access) {
        this.repository = repository;
        this.teams = teams;
        this.access = access;
    }

    @Transactional
    public CreatedApiKeyDto create(String team, CreateApiKeyRequest request) {
        requireAdminOf(team, "create API keys");
        if (request == null) {
            throw new InvalidRequestException("a JSON body is required");
        }
        Names.require("name", request.name(), KEY_NAME);
        if (request.role() == null) {
            throw new InvalidRequestException("role is required (READER, WRITER or ADMIN)");
        }
        Set<Scope> scopes = scopes(request.role(), request.scopes());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw new InvalidRequestException("expiresAt must be in the future");
        }
        if (repository.nameTaken(team, request.name())) {
            throw new AlreadyExistsException("Team " + team + " already has an API key named " + request.name());
        }
        ApiKeys.Generated generated = ApiKeys.generate();
        ApiKey key = new ApiKey();
        key.id = generated.id();
        key.team = team;
        key.name = request.name();
        key.role = request.role();
        key.scopes = scopes.stream().map(Scope::value).sorted().collect(Collectors.joining(","));
        key.secretSha256 = ApiKeys.hash(generated.key());
        key.createdBy = access.actor();
        key.createdAt = now;
        key.expiresAt = request.expiresAt();
        key.adapters = adapters(request.adapters());
        repository.persist(key);
        return new CreatedApiKeyDto(generated.key(), toDto(key));
    }

    @Transactional
    public List<ApiKeyDto> list(String team) {
        requireAdminOf(team, "list API keys");
        return repository.listByTeam(team).stream().map(ApiKeyService::toDto).toList();
    }

    /** Revokes a key at once; the row stays so the audit trail can name it. Revoking again changes nothing. */
    @Transactional
    public ApiKeyDto revoke(String team, String id) {
        requireAdminOf(team, "revoke API keys");
        ApiKey key = repository.findByIdOptional(id)
                .filter(found -> found.team.equals(team))
                .orElseThrow(() -> new ResourceNotFoundException("Team " + Messages.abbreviate(team)
                        + " has no API key " + Messages.abbreviate(id)));
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            key.revokedBy = access.actor();
        }
        return toDto(key);
    }

    @Override
    public Optional<StoredApiKey> find(String id) {
        return repository.findRow(id).map(key -> new StoredApiKey(key.id(), key.team(), key.name(),
                Role.valueOf(key.role()), parseScopes(key.scopes()), key.secretSha256(), key.expiresAt(),
                key.revokedAt(), key.lastUsedAt(), split(key.adapters())));
    }

    @Override
    public void touch(StoredApiKey key, Instant when) {
        Instant notBefore = when.minus(TOUCH_INTERVAL);
        if (key.lastUsedAt() != null && !key.lastUsedAt().isBefore(notBefore)) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> repository.touch(key.id(), when.truncatedTo(ChronoUnit.MICROS),
                notBefore));
    }

    private void requireAdminOf(String team, String what) {
        teams.get(team);
        access.team(team, Role.ADMIN, what);
    }

    private static Set<Scope> scopes(Role role, List<String> requested) {
        Set<Scope> allowed = role.scopes();
        if (requested == null || requested.isEmpty()) {
            return allowed;
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String value : requested) {
            Scope scope = Scope.parse(value).filter(TEAM_SCOPES::contains).orElseThrow(() ->
                    new InvalidRequestException("scope '" + Messages.abbreviate(String.valueOf(value))
                            + "' is not one of read, write, admin, inference"));
            if (!allowed.contains(scope)) {
                throw new InvalidRequestException("scope " + value + " is more than role " + role + " allows");
            }
            scopes.add(scope);
        }
        return scopes;
    }

    private static String adapters(List<String> adapters) {
        if (adapters == null) {
            return null;
        }
        if (adapters.isEmpty() || adapters.size() > 100) {
            throw new InvalidRequestException("adapters names 1 to 100 adapters (names, or prefixes ending in *)");
        }
        for (String adapter : adapters) {
            String name = adapter != null && adapter.endsWith("*") ? adapter.substring(0, adapter.length() - 1)
                    : adapter;
            if (name == null || !(name.isEmpty() && adapter.equals("*") || Names.NAME.matcher(name).matches())) {
                throw new InvalidRequestException("adapters: '" + Messages.abbreviate(String.valueOf(adapter))
                        + "' is neither an adapter name nor a prefix ending in *");
            }
        }
        return String.join(",", adapters);
    }

    private static List<String> split(String joined) {
        return joined == null ? null : List.of(joined.split(","));
    }

    private static Set<Scope> parseScopes(String joined) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream(joined.split(",")).map(Scope::parse).flatMap(Optional::stream).forEach(scopes::add);
        return scopes;
    }

    private static ApiKeyDto toDto(ApiKey key) {
        return new ApiKeyDto(key.id, key.team, key.name, key.role,
                parseScopes(key.scopes).stream().map(Scope::value).sorted().toList(), key.createdBy, key.createdAt,
                key.expiresAt, split(key.adapters), key.lastUsedAt, key.revokedAt, key.revokedBy);
    }
}
