package dev.adapterhub.registry.team.service;

import dev.adapterhub.registry.common.Names;
import dev.adapterhub.registry.error.AlreadyExistsException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.Role;
import dev.adapterhub.registry.team.dto.CreateTeamRequest;
import dev.adapterhub.registry.team.dto.TeamDto;
import dev.adapterhub.registry.team.entity.Team;
import dev.adapterhub.registry.team.repository.TeamRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/** Teams: created by the platform admin; every feature that takes a team name checks it here. */
@ApplicationScoped
public class TeamService {

    static final int MAX_DESCRIPTION = 2000;

    private final TeamRepository repository;
    private final Access access;

    public TeamService(TeamRepository repository, Access access) {
        this.repository = repository;
        this.access = access;
    }

    @Transactional
    public TeamDto create(CreateTeamRequest request) {
        access.platformAdmin("create teams");
        if (request == null) {
            throw new InvalidRequestException("a JSON body is required");
        }
        Names.require("name", request.name(), Names.NAME);
        if (request.description() != null && request.description().length() > MAX_DESCRIPTION) {
            throw new InvalidRequestException("description must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (repository.findByIdOptional(request.name()).isPresent()) {
            throw new AlreadyExistsException("Team " + request.name() + " already exists");
        }
        Team team = new Team();
        team.name = request.name();
        team.description = request.description();
        team.createdBy = access.actor();
        team.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        repository.persist(team);
        return toDto(team);
    }

    /** The teams the caller belongs to; every team for the platform admin and the services. */
    @Transactional
    public List<TeamDto> list() {
        Set<String> visible = access.visibleTeams();
        return repository.listAll().stream()
                .filter(team -> visible == null || access.can(team.name, Role.READER))
                .sorted(java.util.Comparator.comparing(team -> team.name))
                .map(TeamService::toDto)
                .toList();
    }

    /** A team the caller belongs to; 404 for others, so team names do not leak. */
    @Transactional
    public TeamDto get(String name) {
        if (!access.can(name, Role.READER) && access.visibleTeams() != null) {
            throw notFound(name);
        }
        return toDto(repository.findByIdOptional(name).orElseThrow(() -> notFound(name)));
    }

    /** 404 unless the team exists. Runs in the caller's transaction. */
    public void requireExists(String name) {
        if (repository.findByIdOptional(name).isEmpty()) {
            throw new ResourceNotFoundException("Team " + Messages.abbreviate(name)
                    + " does not exist; a platform admin creates teams (POST /api/v1/teams)");
        }
    }

    private static ResourceNotFoundException notFound(String name) {
        return new ResourceNotFoundException("Team " + Messages.abbreviate(name) + " does not exist");
    }

    private static TeamDto toDto(Team team) {
        return new TeamDto(team.name, team.description, team.createdBy, team.createdAt);
    }
}
