package dev.adapterhub.registry.evaluationset.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** The dataset an adapter's team keeps for evaluating it (the transfer gate compares on it). */
@Entity
@Table(name = "adapter_evaluation_set")
public class AdapterEvaluationSet {

    @Id
    @Column(name = "adapter_id")
    public UUID adapterId;

    @Column(name = "dataset_id", nullable = false)
    public UUID datasetId;

    @Column(name = "set_by", nullable = false)
    public String setBy;

    @Column(name = "set_at", nullable = false)
    public Instant setAt;
}
