package dev.adapterhub.localstack;

/** How much a backend may trade crash safety for speed. */
public enum Durability {
    /** Throw-away data (tests): skip fsyncs and similar safety work. */
    EPHEMERAL,
    /** Data that must survive a crash or power loss of the developer machine (the local launcher). */
    DURABLE
}
