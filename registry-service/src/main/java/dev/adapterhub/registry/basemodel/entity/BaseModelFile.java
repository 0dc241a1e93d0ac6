package dev.adapterhub.registry.basemodel.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** One file of a base model checkpoint and where its bytes are. */
@Entity
@Table(name = "base_model_file")
public class BaseModelFile {

    @Id
    public UUID id;

    @Column(name = "base_model_id", nullable = false)
    public UUID baseModelId;

    @Column(name = "file_name", nullable = false)
    public String fileName;

    @Column(nullable = false)
    public String bucket;

    @Column(name = "object_key", nullable = false)
    public String objectKey;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    /** Hex SHA-256; null for referenced files the registry did not read in full. */
    @Column
    public String sha256;
}
