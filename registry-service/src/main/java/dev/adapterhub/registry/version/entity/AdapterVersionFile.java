package dev.adapterhub.registry.version.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** One file of a version, stored under its content-addressed key. */
@Entity
@Table(name = "adapter_version_file")
public class AdapterVersionFile {

    @Id
    public UUID id;

    @Column(name = "version_id", nullable = false)
    public UUID versionId;

    @Column(name = "file_name", nullable = false)
    public String fileName;

    @Column(name = "object_key", nullable = false)
    public String objectKey;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(nullable = false)
    public String sha256;
}
