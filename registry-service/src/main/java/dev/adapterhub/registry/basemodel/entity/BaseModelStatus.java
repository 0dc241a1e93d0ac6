package dev.adapterhub.registry.basemodel.entity;

/** Lifecycle of a base model revision. Only ACTIVE bases accept new adapters and versions. */
public enum BaseModelStatus {
    ACTIVE, SUPERSEDED, RETIRED
}
