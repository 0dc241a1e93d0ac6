package dev.adapterhub.registry.version.entity;

/** A deprecated version stays downloadable (reproducibility) but no alias may move to it. */
public enum VersionStatus {
    ACTIVE, DEPRECATED
}
