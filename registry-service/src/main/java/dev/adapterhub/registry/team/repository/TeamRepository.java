package dev.adapterhub.registry.team.repository;

import dev.adapterhub.registry.team.entity.Team;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class TeamRepository implements PanacheRepositoryBase<Team, String> {
}
