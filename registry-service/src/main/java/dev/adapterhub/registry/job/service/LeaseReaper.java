package dev.adapterhub.registry.job.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Periodically re-queues jobs whose worker stopped heartbeating (ADR 0005, step 5). */
@ApplicationScoped
public class LeaseReaper {

    private static final Logger LOG = Logger.getLogger(LeaseReaper.class);

    private final LeaseService leases;

    public LeaseReaper(LeaseService leases) {
        this.leases = leases;
    }

    @Scheduled(every = "${adapterhub.jobs.lease-check-interval:PT5S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRun() {
        try {
            int handled;
            do {
                handled = leases.reapExpiredLeases();
                if (handled > 0) {
                    LOG.infof("Re-queued or failed %d training job(s) whose lease expired", handled);
                }
            } while (handled > 0);
        } catch (RuntimeException e) {
            LOG.warnf("Lease reaper run failed, retrying on the next run: %s", e.getMessage());
        }
    }
}
