package dev.adapterhub.registry.client.model;

/** The answer to a completion: the succeeded job and the version it published. */
public record CompletionResult(Job job, AdapterVersion version) {
}
