package dev.adapterhub.registry.job.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One line of a job's event log: a message, or a metrics sample reported by the worker. */
@Entity
@Table(name = "training_job_event")
public class TrainingJobEvent {

    public enum Level { INFO, WARN, ERROR }

    public enum Kind { MESSAGE, METRICS }

    /** Database-assigned, increasing: the cursor of {@code GET /events?after=}. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(name = "job_id", nullable = false)
    public UUID jobId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    @Column(nullable = false)
    public Level level;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Column(nullable = false)
    public String message;

    /** JSON object of metric name to number (kind METRICS). */
    @Column
    public String metrics;
}
