package dev.adapterhub.registry.dataset.entity;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A validated prompt/completion JSONL file, stored once per digest at {@code blobs/sha256/<hex>} until it is
 * deleted.
 */
@Entity
@Table(name = "training_dataset")
public class TrainingDataset {

    @Id
    public UUID id;

    /** {@code sha256:<hex>} of the file's bytes. */
    @Column(nullable = false)
    public String digest;

    @Column(name = "object_key", nullable = false)
    public String objectKey;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(name = "example_count", nullable = false)
    public int exampleCount;

    @Column(name = "file_name")
    public String fileName;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Set when the bytes were deleted; the row stays so that lineage still names the digest. */
    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Column(name = "deleted_by")
    public String deletedBy;

    @Column(name = "deletion_reason")
    public String deletionReason;

    /** The teams that uploaded these bytes; the same bytes are stored once whoever uploads them. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "training_dataset_team", joinColumns = @JoinColumn(name = "dataset_id"))
    public List<DatasetHolder> holders = new ArrayList<>();

    public boolean heldBy(String team) {
        return holders.stream().anyMatch(holder -> holder.team.equals(team));
    }
}
