package dev.adapterhub.registry.security;

/** Who outside its team sees an adapter. */
public enum Visibility {
    /** Only its team (and the platform's services): to everyone else it does not exist (404). */
    PRIVATE,
    /** Every authenticated caller may read it and serve it; only its team changes it. */
    INTERNAL
}
