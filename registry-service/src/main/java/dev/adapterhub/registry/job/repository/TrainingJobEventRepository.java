package dev.adapterhub.registry.job.repository;

import dev.adapterhub.registry.job.entity.TrainingJobEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class TrainingJobEventRepository implements PanacheRepositoryBase<TrainingJobEvent, Long> {

    /** Events of one job after the cursor {@code afterSeq}, oldest first. */
    public List<TrainingJobEvent> after(UUID jobId, long afterSeq, int limit) {
        return find("jobId = ?1 and seq > ?2", Sort.ascending("seq"), jobId, afterSeq).range(0, limit - 1).list();
    }
}
