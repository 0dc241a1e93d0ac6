package dev.adapterhub.registry.basemodel.repository;

import dev.adapterhub.registry.basemodel.entity.BaseModel;
import dev.adapterhub.registry.basemodel.entity.BaseModelStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class BaseModelRepository implements PanacheRepositoryBase<BaseModel, UUID> {

    public Optional<BaseModel> findByNameAndRevision(String name, String revision) {
        return find("name = ?1 and revision = ?2", name, revision).firstResultOptional();
    }

    /** The newest ACTIVE revision of a name (by registration time). */
    public Optional<BaseModel> findLatestActive(String name) {
        return find("name = ?1 and status = ?2", Sort.descending("registeredAt").and("id"),
                name, BaseModelStatus.ACTIVE).firstResultOptional();
    }

    public List<BaseModel> findAllByName(String name) {
        return list("name", name);
    }

    public List<BaseModel> page(String name, BaseModelStatus status, int page, int size) {
        return find(filter(name, status), Sort.ascending("name").and("registeredAt").and("id"), params(name, status))
                .page(Page.of(page, size)).list();
    }

    public long countMatching(String name, BaseModelStatus status) {
        return count(filter(name, status), params(name, status));
    }

    private static String filter(String name, BaseModelStatus status) {
        StringBuilder q = new StringBuilder("1 = 1");
        if (name != null) {
            q.append(" and name = :name");
        }
        if (status != null) {
            q.append(" and status = :status");
        }
        return q.toString();
    }

    private static Parameters params(String name, BaseModelStatus status) {
        Parameters p = new Parameters();
        if (name != null) {
            p.and("name", name);
        }
        if (status != null) {
            p.and("status", status);
        }
        return p;
    }
}
