package dev.adapterhub.registry.alias.service;

import dev.adapterhub.registry.adapter.service.AdapterRef;
import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.alias.dto.AliasDto;
import dev.adapterhub.registry.alias.dto.AliasHistoryDto;
import dev.adapterhub.registry.alias.dto.MoveAliasRequest;
import dev.adapterhub.registry.alias.entity.AdapterAlias;
import dev.adapterhub.registry.alias.entity.AliasHistoryEntry;
import dev.adapterhub.registry.alias.repository.AliasHistoryRepository;
import dev.adapterhub.registry.alias.repository.AliasRepository;
import dev.adapterhub.registry.common.Names;
import dev.adapterhub.registry.error.ConflictException;
import dev.adapterhub.registry.error.ExpectationMismatchException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.RegistryException;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.events.EventType;
import dev.adapterhub.registry.events.OutboxWriter;
import dev.adapterhub.registry.events.data.AliasMoved;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.Role;
import dev.adapterhub.registry.version.service.VersionRef;
import dev.adapterhub.registry.version.service.VersionService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Moves aliases atomically. The adapter row is locked for the whole move, so a compare-and-set
 * ({@code expectedVersion}) and the move, its audit entry and its event happen as one step.
 */
@ApplicationScoped
public class AliasService {

    private final AdapterService adapters;
    private final VersionService versions;
    private final AliasRepository aliases;
    private final AliasHistoryRepository history;
    private final OutboxWriter outbox;

    private final Access access;

    public AliasService(AdapterService adapters, VersionService versions, AliasRepository aliases,
                        AliasHistoryRepository history, OutboxWriter outbox, Access access) {
        this.access = access;
        this.adapters = adapters;
        this.versions = versions;
        this.aliases = aliases;
        this.history = history;
        this.outbox = outbox;
    }

    /** Result of a move: the alias now, and whether anything changed (moving to the current target is a no-op). */
    public record MoveResult(AliasDto alias, boolean created, boolean changed) {
    }

    /**
     * Moves an alias for the caller: a team writer, or a team admin for a protected alias. A refused attempt on an
     * existing adapter is recorded in the audit trail (outcome REFUSED) before the refusal is answered.
     */
    @Transactional
    public MoveResult move(String adapterName, String aliasName, MoveAliasRequest request) {
        Names.require("alias", aliasName, Names.ALIAS);
        AdapterRef found = adapters.find(adapterName).orElse(null);
        if (found != null) {
            Role needed = found.isProtected(aliasName) ? Role.ADMIN : Role.WRITER;
            String what = found.isProtected(aliasName) ? "move the protected alias " + aliasName
                    : "move its aliases";
            try {
                adapters.authorize(found, needed, what);
            } catch (RegistryException refused) {
                auditRefusal(found, aliasName, request, refused);
                throw refused;
            }
        } else {
            adapters.requireAccess(adapterName, Role.WRITER, "move its aliases");
        }
        return move(adapterName, aliasName, request, access.actor(request == null ? null : request.actor()));
    }

    /**
     * Moves an alias for the transfer gate, which may move protected aliases: the adapter's team opted in when it
     * planned the transfer. Runs in the caller's transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public MoveResult moveByGate(String adapterName, String aliasName, int version, String actor) {
        return move(adapterName, aliasName, new MoveAliasRequest(String.valueOf(version), null, null), actor);
    }

    private void auditRefusal(AdapterRef adapter, String aliasName, MoveAliasRequest request,
                              RegistryException refused) {
        String actor = access.caller().name();
        String requested = request == null || request.version() == null ? "?" : Messages.abbreviate(request.version());
        QuarkusTransaction.requiringNew().run(() -> {
            AliasHistoryEntry entry = new AliasHistoryEntry();
            entry.id = UUID.randomUUID();
            entry.adapterId = adapter.id();
            entry.alias = aliasName;
            entry.outcome = AliasHistoryEntry.REFUSED;
            entry.detail = "to " + requested + ": " + refused.getMessage();
            entry.movedBy = actor;
            entry.movedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            history.persist(entry);
        });
    }

    private MoveResult move(String adapterName, String aliasName, MoveAliasRequest request, String actor) {
        Names.require("alias", aliasName, Names.ALIAS);
        if (Names.LATEST.equals(aliasName)) {
            throw new InvalidRequestException("'latest' is reserved and cannot be an alias");
        }
        if (request == null || request.version() == null || request.version().isBlank()) {
            throw new InvalidRequestException("version is required");
        }
        if (request.expectedVersion() != null && request.expectedVersion() < 0) {
            throw new InvalidRequestException("expectedVersion must be >= 0 (0 = alias must not exist)");
        }
        AdapterRef adapter = adapters.lock(adapters.require(adapterName).id());
        VersionRef target = versions.resolve(adapter, request.version().strip());
        if (target.deprecated()) {
            throw new ConflictException(adapter.name() + "@" + target.version()
                    + " is deprecated; aliases cannot move to it");
        }
        AdapterAlias alias = aliases.findByName(adapter.id(), aliasName).orElse(null);
        VersionRef current = alias == null ? null : versions.byId(alias.versionId);
        if (request.expectedVersion() != null) {
            int actual = current == null ? 0 : current.version();
            if (actual != request.expectedVersion()) {
                throw new ExpectationMismatchException("Alias " + aliasName + " of " + adapter.name() + " points at "
                        + (current == null ? "nothing" : "version " + actual) + ", not "
                        + (request.expectedVersion() == 0 ? "nothing" : "version " + request.expectedVersion()));
            }
        }
        if (current != null && current.id().equals(target.id())) {
            return new MoveResult(toDto(alias, current), false, false);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        boolean created = alias == null;
        if (created) {
            alias = new AdapterAlias();
            alias.id = UUID.randomUUID();
            alias.adapterId = adapter.id();
            alias.name = aliasName;
        }
        alias.versionId = target.id();
        alias.updatedBy = actor;
        alias.updatedAt = now;
        if (created) {
            aliases.persist(alias);
        }
        AliasHistoryEntry entry = new AliasHistoryEntry();
        entry.id = UUID.randomUUID();
        entry.adapterId = adapter.id();
        entry.alias = aliasName;
        entry.fromVersionId = current == null ? null : current.id();
        entry.toVersionId = target.id();
        entry.outcome = AliasHistoryEntry.MOVED;
        entry.movedBy = actor;
        entry.movedAt = now;
        history.persist(entry);
        outbox.append(EventType.ALIAS_MOVED, adapter.id(), new AliasMoved(adapter.id(), adapter.name(), aliasName,
                target.version(), target.id(), target.digest(), current == null ? null : current.version(), actor));
        return new MoveResult(toDto(alias, target), created, true);
    }

    @Transactional
    public List<AliasDto> list(String adapterName) {
        AdapterRef adapter = adapters.requireAccess(adapterName, Role.READER, "read it");
        return aliases.findByAdapter(adapter.id()).stream()
                .map(a -> toDto(a, versions.byId(a.versionId))).toList();
    }

    @Transactional
    public AliasDto get(String adapterName, String aliasName) {
        AdapterRef adapter = adapters.requireAccess(adapterName, Role.READER, "read it");
        AdapterAlias alias = aliases.findByName(adapter.id(), aliasName).orElseThrow(() ->
                new ResourceNotFoundException("Adapter " + adapter.name() + " has no alias "
                        + Messages.abbreviate(aliasName)));
        return toDto(alias, versions.byId(alias.versionId));
    }

    /** Audit trail, newest first, refused attempts included; {@code aliasName} null lists every alias. */
    @Transactional
    public List<AliasHistoryDto> history(String adapterName, String aliasName) {
        AdapterRef adapter = adapters.requireAccess(adapterName, Role.READER, "read it");
        return history.findByAdapter(adapter.id(), aliasName).stream()
                .map(h -> new AliasHistoryDto(h.alias,
                        h.fromVersionId == null ? null : versions.byId(h.fromVersionId).version(),
                        h.toVersionId == null ? null : versions.byId(h.toVersionId).version(), h.outcome, h.detail,
                        h.movedBy, h.movedAt))
                .toList();
    }

    private static AliasDto toDto(AdapterAlias alias, VersionRef version) {
        return new AliasDto(alias.name, version.version(), version.id(), version.digest(), alias.updatedBy,
                alias.updatedAt);
    }
}
