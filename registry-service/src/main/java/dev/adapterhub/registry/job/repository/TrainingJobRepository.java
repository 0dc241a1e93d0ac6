package dev.adapterhub.registry.job.repository;

import dev.adapterhub.registry.job.dto.JobKind;
import dev.adapterhub.registry.job.entity.JobState;
import dev.adapterhub.registry.job.entity.TrainingJob;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

@ApplicationScoped
public class TrainingJobRepository implements PanacheRepositoryBase<TrainingJob, UUID> {

    public Optional<TrainingJob> findByIdempotencyKey(String key) {
        return find("idempotencyKey", key).firstResultOptional();
    }

    /** Loads and row-locks the job: every state change goes through this, so changes never interleave. */
    /** Jobs that have not ended and train on this dataset. */
    public long countLiveUsing(UUID datasetId) {
        return count("datasetId = ?1 and state in ?2", datasetId,
                List.of(JobState.QUEUED, JobState.VALIDATING, JobState.RUNNING));
    }

    public Optional<TrainingJob> lock(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Locks up to {@code limit} leased jobs whose lease expired. SKIP LOCKED lets several registry replicas reap
     * concurrently, and skips a job whose worker is heartbeating at this very moment.
     */
    @SuppressWarnings("unchecked")
    public List<TrainingJob> lockExpiredLeases(Instant now, int limit) {
        return getEntityManager()
                .createNativeQuery("select * from training_job where state in ('VALIDATING', 'RUNNING') "
                        + "and lease_expires_at < :now order by lease_expires_at limit :limit "
                        + "for update skip locked", TrainingJob.class)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList();
    }

    /** {@code teams}: only jobs of these teams; null for every team. */
    public List<TrainingJob> search(JobKind kind, JobState state, String adapterName, Set<String> teams, int offset,
                                    int size) {
        Filter filter = filter(kind, state, adapterName, teams);
        return find(filter.query, Sort.descending("createdAt").and("id"), filter.parameters)
                .range(offset, offset + size - 1).list();
    }

    public long count(JobKind kind, JobState state, String adapterName, Set<String> teams) {
        Filter filter = filter(kind, state, adapterName, teams);
        return count(filter.query, filter.parameters);
    }

    private record Filter(String query, Parameters parameters) {
    }

    private static Filter filter(JobKind kind, JobState state, String adapterName, Set<String> teams) {
        List<String> clauses = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (kind != null) {
            clauses.add("kind = :kind");
            parameters.and("kind", kind);
        }
        if (state != null) {
            clauses.add("state = :state");
            parameters.and("state", state);
        }
        if (adapterName != null) {
            clauses.add("adapterName = :adapterName");
            parameters.and("adapterName", adapterName);
        }
        if (teams != null) {
            if (teams.isEmpty()) {
                clauses.add("1 = 0");
            } else {
                clauses.add("team in :teams");
                parameters.and("teams", teams);
            }
        }
        return new Filter(clauses.isEmpty() ? "1 = 1" : String.join(" and ", clauses), parameters);
    }
}
