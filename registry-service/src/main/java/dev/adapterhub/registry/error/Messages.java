package dev.adapterhub.registry.error;

/** Helpers for the {@code detail} and {@code violations} texts of problem responses. */
public final class Messages {

    private Messages() {
    }

    /** Client-chosen values quoted in a message are cut to 64 characters, so a huge name cannot bloat a problem. */
    public static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
