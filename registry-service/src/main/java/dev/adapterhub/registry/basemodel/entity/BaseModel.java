package dev.adapterhub.registry.basemodel.entity;

import dev.adapterhub.registry.validation.ShapesSource;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One revision of a base model checkpoint. */
@Entity
@Table(name = "base_model")
public class BaseModel {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String revision;

    /** The config's {@code model_type}, e.g. "llama". */
    @Column(nullable = false)
    public String architecture;

    @Column(name = "hidden_size", nullable = false)
    public int hiddenSize;

    @Column(name = "intermediate_size", nullable = false)
    public int intermediateSize;

    @Column(name = "num_layers", nullable = false)
    public int numLayers;

    @Column(name = "num_attention_heads", nullable = false)
    public int numAttentionHeads;

    @Column(name = "num_key_value_heads", nullable = false)
    public int numKeyValueHeads;

    @Column(name = "vocab_size", nullable = false)
    public int vocabSize;

    @Column(name = "config_json", nullable = false)
    public String configJson;

    /** JSON object {module path: [out, in]}. */
    @Column(name = "linear_modules", nullable = false)
    public String linearModules;

    @Enumerated(EnumType.STRING)
    @Column(name = "shapes_source", nullable = false)
    public ShapesSource shapesSource;

    @Enumerated(EnumType.STRING)
    @Column(name = "storage_mode", nullable = false)
    public StorageMode storageMode;

    @Column(name = "source_uri")
    public String sourceUri;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public BaseModelStatus status;

    @Column(name = "superseded_by_id")
    public UUID supersededById;

    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    @Column(name = "status_changed_at")
    public Instant statusChangedAt;

    /** {@code name@revision}, how clients name this exact revision. */
    public String reference() {
        return name + "@" + revision;
    }
}
