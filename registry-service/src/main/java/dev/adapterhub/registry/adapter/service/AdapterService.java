package dev.adapterhub.registry.adapter.service;

import dev.adapterhub.registry.adapter.dto.AdapterDto;
import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.adapter.dto.BaseModelRefDto;
import dev.adapterhub.registry.adapter.dto.CreateAdapterRequest;
import dev.adapterhub.registry.adapter.dto.UpdateAdapterRequest;
import dev.adapterhub.registry.adapter.entity.Adapter;
import dev.adapterhub.registry.adapter.repository.AdapterFilter;
import dev.adapterhub.registry.adapter.repository.AdapterRepository;
import dev.adapterhub.registry.adapter.repository.AdapterView;
import dev.adapterhub.registry.basemodel.service.BaseModelRef;
import dev.adapterhub.registry.basemodel.service.BaseModelService;
import dev.adapterhub.registry.common.Names;
import dev.adapterhub.registry.common.PageDto;
import dev.adapterhub.registry.common.PageRequest;
import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.AlreadyExistsException;
import dev.adapterhub.registry.error.ConflictException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.events.EventType;
import dev.adapterhub.registry.events.OutboxWriter;
import dev.adapterhub.registry.events.data.AdapterCreated;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.Role;
import dev.adapterhub.registry.security.Visibility;
import dev.adapterhub.registry.team.service.TeamService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/** Creating, reading and searching adapters; other features look adapters up here ({@link AdapterRef}). */
@ApplicationScoped
public class AdapterService {

    static final int MAX_TAGS = 32;
    static final int MAX_TASK_DESCRIPTION = 4096;

    private final AdapterRepository repository;
    private final BaseModelService baseModels;
    private final VersionSummaries versions;
    private final OutboxWriter outbox;
    private final TeamService teams;
    private final Access access;
    private final List<String> defaultProtectedAliases;

    public AdapterService(AdapterRepository repository, BaseModelService baseModels, VersionSummaries versions,
                          OutboxWriter outbox, TeamService teams, Access access, RegistryConfig config) {
        this.repository = repository;
        this.baseModels = baseModels;
        this.versions = versions;
        this.outbox = outbox;
        this.teams = teams;
        this.access = access;
        this.defaultProtectedAliases = config.security().protectedAliases();
    }

    @Transactional
    public AdapterDto create(CreateAdapterRequest request) {
        if (request == null) {
            throw new InvalidRequestException("a JSON body is required");
        }
        Names.require("name", request.name(), Names.NAME);
        String team = access.defaultTeam(request.team());
        Names.require("team", team, Names.NAME);
        access.team(team, Role.WRITER, "create adapters in it");
        return insert(request, team, access.actor());
    }

    /**
     * Creates the adapter a succeeded job publishes to. The job's submitter was authorized for its team when it
     * submitted; the worker completing it acts for them. Runs in the caller's transaction.
     */
    @Transactional(TxType.MANDATORY)
    public AdapterDto createForJob(CreateAdapterRequest request, String actor) {
        return insert(request, request.team(), actor);
    }

    private AdapterDto insert(CreateAdapterRequest request, String team, String actor) {
        List<String> protectedAliases = aliases(request.protectedAliases() == null ? defaultProtectedAliases
                : request.protectedAliases());
        if (request.method() == null) {
            throw new InvalidRequestException("method is required (LORA, LORA_GA, LORA_SB or SHIRA)");
        }
        if (request.taskDescription() != null && request.taskDescription().length() > MAX_TASK_DESCRIPTION) {
            throw new InvalidRequestException("taskDescription must be at most " + MAX_TASK_DESCRIPTION + " characters");
        }
        List<String> tags = request.tags() == null ? List.of() : request.tags();
        if (tags.size() > MAX_TAGS) {
            throw new InvalidRequestException("at most " + MAX_TAGS + " tags are allowed");
        }
        tags.forEach(tag -> Names.require("tag", tag, Names.TAG));
        teams.requireExists(team);
        BaseModelRef base = baseModels.resolve(request.baseModel());
        if (base.retired()) {
            throw new ConflictException("Base model " + base.reference() + " is retired");
        }
        if (repository.findByName(request.name()).isPresent()) {
            throw new AlreadyExistsException("Adapter " + request.name() + " already exists");
        }

        Adapter adapter = new Adapter();
        adapter.id = UUID.randomUUID();
        adapter.name = request.name();
        adapter.team = team;
        adapter.visibility = request.visibility() == null ? Visibility.PRIVATE : request.visibility();
        adapter.protectedAliases.addAll(protectedAliases);
        adapter.baseModelId = base.id();
        adapter.method = request.method();
        adapter.taskDescription = request.taskDescription();
        adapter.tags.addAll(new TreeSet<>(tags));
        adapter.createdBy = actor;
        adapter.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        repository.persist(adapter);
        outbox.append(EventType.ADAPTER_CREATED, adapter.id, new AdapterCreated(adapter.id, adapter.name,
                adapter.team, adapter.method.name(), base.id(), base.name(), base.revision(),
                new ArrayList<>(adapter.tags)));
        return toDto(adapter, base);
    }

    /** One plain read (ADR 14): no transaction, so it sees every committed alias move. */
    public AdapterDto get(String name) {
        AdapterView adapter = repository.findView(name).orElseThrow(() -> notFound(name));
        access.owned(adapter.team(), adapter.visibility(), Role.READER, "read it", () -> notFound(adapter.name()));
        return toDto(adapter);
    }

    /** Changes what the request names: description and tags for writers, visibility and protection for admins. */
    @Transactional
    public AdapterDto update(String name, UpdateAdapterRequest request) {
        if (request == null) {
            throw new InvalidRequestException("a JSON body is required");
        }
        Adapter adapter = requireEntity(name);
        boolean adminChange = request.visibility() != null || request.protectedAliases() != null;
        authorize(adapter, adminChange ? Role.ADMIN : Role.WRITER,
                adminChange ? "change its visibility or protected aliases" : "change it");
        adapter = repository.lock(adapter.id);
        if (request.taskDescription() != null) {
            if (request.taskDescription().length() > MAX_TASK_DESCRIPTION) {
                throw new InvalidRequestException("taskDescription must be at most " + MAX_TASK_DESCRIPTION
                        + " characters");
            }
            adapter.taskDescription = request.taskDescription().isBlank() ? null : request.taskDescription();
        }
        if (request.tags() != null) {
            if (request.tags().size() > MAX_TAGS) {
                throw new InvalidRequestException("at most " + MAX_TAGS + " tags are allowed");
            }
            request.tags().forEach(tag -> Names.require("tag", tag, Names.TAG));
            adapter.tags.clear();
            adapter.tags.addAll(new TreeSet<>(request.tags()));
        }
        if (request.visibility() != null) {
            adapter.visibility = request.visibility();
        }
        if (request.protectedAliases() != null) {
            List<String> protectedAliases = aliases(request.protectedAliases());
            adapter.protectedAliases.clear();
            adapter.protectedAliases.addAll(protectedAliases);
        }
        return toDto(adapter, baseModels.byId(adapter.baseModelId));
    }

    /**
     * The adapter named {@code name} if the caller may act on it with {@code role}: 404 when the caller may not
     * see it (so another team's private adapter looks absent), 403 when it may see but not act. Runs in the
     * caller's transaction, or in its own.
     */
    @Transactional
    public AdapterRef requireAccess(String name, Role role, String what) {
        Adapter adapter = requireEntity(name);
        authorize(adapter, role, what);
        return AdapterRef.of(adapter);
    }

    /** The same check for an adapter another feature already holds. */
    public void authorize(AdapterRef adapter, Role role, String what) {
        access.owned(adapter.team(), adapter.visibility(), role, what, () -> notFound(adapter.name()));
    }

    private void authorize(Adapter adapter, Role role, String what) {
        access.owned(adapter.team, adapter.visibility, role, what, () -> notFound(adapter.name));
    }
    /**
     * Finds adapters matching every given criterion. {@code baseModel} as a bare name matches all its revisions;
     * an id or {@code name@revision} matches that revision only.
     */
    @Transactional
    public PageDto<AdapterDto> search(String baseModel, AdapterMethod method, String team, String tag, String alias,
                                      PageRequest page) {
        List<UUID> baseIds = null;
        if (baseModel != null && !baseModel.isBlank()) {
            baseIds = baseModel.contains("@") || baseModel.length() == 36
                    ? List.of(baseModels.resolve(baseModel).id())
                    : baseModels.idsByName(baseModel);
        }
        AdapterFilter filter = new AdapterFilter(baseIds, method, blankToNull(team), blankToNull(tag),
                blankToNull(alias), access.visibleTeams());
        List<AdapterDto> items = repository.searchViews(filter, page.offset(), page.size()).stream()
                .map(AdapterService::toDto)
                .toList();
        return new PageDto<>(items, page.page(), page.size(), repository.count(filter));
    }

    /** The adapter named {@code name}; 404 when there is none. Runs in the caller's transaction. */
    public AdapterRef require(String name) {
        return AdapterRef.of(requireEntity(name));
    }

    /** The adapter named {@code name}, if any. Runs in the caller's transaction. */
    public Optional<AdapterRef> find(String name) {
        return repository.findByName(name).map(AdapterRef::of);
    }

    /** The adapter with this id, which must exist (callers hold a row referencing it). */
    public AdapterRef byId(UUID id) {
        return AdapterRef.of(repository.findById(id));
    }

    /**
     * Locks the adapter row until the caller's transaction ends: serialises version numbering, alias moves and
     * seed-example appends of one adapter.
     */
    @Transactional(TxType.MANDATORY)
    public AdapterRef lock(UUID id) {
        return AdapterRef.of(repository.lock(id));
    }

    /**
     * Makes {@code baseModelId} the base the adapter's new jobs and uploads use: a transferred version became its
     * served one. Its earlier versions keep their own base. Runs in the caller's transaction.
     */
    @Transactional(TxType.MANDATORY)
    public void moveToBase(UUID adapterId, UUID baseModelId) {
        repository.lock(adapterId).baseModelId = baseModelId;
    }

    private Adapter requireEntity(String name) {
        return repository.findByName(name).orElseThrow(() -> notFound(name));
    }

    private static ResourceNotFoundException notFound(String name) {
        return new ResourceNotFoundException("Adapter " + Messages.abbreviate(name) + " does not exist");
    }

    private static List<String> aliases(List<String> aliases) {
        aliases.forEach(alias -> Names.require("protectedAliases", alias, Names.ALIAS));
        return new ArrayList<>(new TreeSet<>(aliases));
    }

    private static AdapterDto toDto(AdapterView view) {
        return new AdapterDto(view.id(), view.name(), view.team(), view.method(), view.method().peftType(),
                new BaseModelRefDto(view.baseModelId(), view.baseModelName(), view.baseModelRevision()),
                view.taskDescription(), view.tags(), view.latestVersion() == 0 ? null : view.latestVersion(),
                view.aliases(), view.visibility(), view.protectedAliases(), view.createdBy(), view.createdAt());
    }

    private AdapterDto toDto(Adapter adapter, BaseModelRef base) {
        int latest = versions.latestVersion(adapter.id);
        return new AdapterDto(adapter.id, adapter.name, adapter.team, adapter.method, adapter.method.peftType(),
                new BaseModelRefDto(base.id(), base.name(), base.revision()), adapter.taskDescription,
                new ArrayList<>(new TreeSet<>(adapter.tags)), latest == 0 ? null : latest,
                versions.aliasVersions(adapter.id), adapter.visibility,
                new ArrayList<>(new TreeSet<>(adapter.protectedAliases)), adapter.createdBy, adapter.createdAt);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
