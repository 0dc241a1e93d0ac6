package dev.adapterhub.registry.job.dto;

/** A file in object storage the worker downloads (and caches by sha256). */
public record StoredFileDto(String fileName, String bucket, String objectKey, long sizeBytes, String sha256) {
}
