package dev.adapterhub.registry.transferkit.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** One file of a kit's discriminator, stored under its content-addressed key. */
@Entity
@Table(name = "transfer_kit_file")
public class TransferKitFile {

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
