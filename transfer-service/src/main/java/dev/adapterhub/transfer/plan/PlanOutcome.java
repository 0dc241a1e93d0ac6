package dev.adapterhub.transfer.plan;

import dev.adapterhub.registry.client.model.Job;

/**
 * What planning one version ended in: its TRANSFER job (new, or the one an earlier delivery of the same request
 * planned), or why the registry refused it.
 */
public record PlanOutcome(String sourceVersion, Job transfer, String refused) {
}
