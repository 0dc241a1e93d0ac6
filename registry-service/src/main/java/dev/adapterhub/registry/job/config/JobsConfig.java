package dev.adapterhub.registry.job.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Training jobs: topics, worker leases and retries (ADR 0005). */
@ConfigMapping(prefix = "adapterhub.jobs")
public interface JobsConfig {

    /** Topic the registry dispatches job attempts to; workers consume it as one consumer group. */
    @WithDefault("adapterhub.training.jobs.v1")
    String dispatchTopic();

    /** Topic of job state changes and progress. */
    @WithDefault("adapterhub.training.events.v1")
    String eventsTopic();

    /** How long a claim or heartbeat keeps the job leased to a worker. */
    @WithDefault("PT60S")
    Duration leaseDuration();

    /** Attempts (initial + re-queues after a lost lease or a retryable failure) before the job is FAILED. */
    @WithDefault("3")
    int maxAttempts();

    /** How often the reaper looks for expired leases (a Quarkus scheduler interval such as {@code 5s}). */
    @WithDefault("PT5S")
    Duration leaseCheckInterval();

    /** Jobs re-queued or failed per reaper transaction. */
    @WithDefault("50")
    int reaperBatchSize();

    /** Synthetic examples a TRANSFER distils on when neither the request nor the source's lineage says. */
    @WithDefault("800")
    int transferGoal();

    /** A transferred version passes the gate when it scores at least the source minus this margin. */
    @WithDefault("0.0")
    double transferGateMargin();

    /** Largest synthetic set a TRANSFER may ask for. */
    @WithDefault("20000")
    int maxTransferGoal();

    /** Largest page of {@code GET /training-jobs/{id}/events}. */
    @WithDefault("500")
    int maxEventsPerPage();
}
