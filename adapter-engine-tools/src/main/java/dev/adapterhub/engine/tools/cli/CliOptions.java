package dev.adapterhub.engine.tools.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} pairs of a sub-command; every option is reported back if it was never read. */
final class CliOptions {

    private final Map<String, String> values;

    private CliOptions(Map<String, String> values) {
        this.values = values;
    }

    static CliOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + name + "'");
            }
            values.put(name.substring(2), args[++i]);
        }
        return new CliOptions(values);
    }

    String required(String name) {
        String value = values.remove(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    String text(String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }

    /** {@code --forward compiled|eager} (TorchScript or the eager DJL forward): whether it says compiled. */
    boolean compiledForward(String fallback) {
        String mode = text("forward", fallback);
        return switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "compiled" -> true;
            case "eager" -> false;
            default -> throw new IllegalArgumentException("--forward must be compiled or eager, got " + mode);
        };
    }

    Path path(String name) {
        return Path.of(required(name));
    }

    int integer(String name, int fallback) {
        return Integer.parseInt(text(name, Integer.toString(fallback)));
    }

    double decimal(String name, double fallback) {
        return Double.parseDouble(text(name, Double.toString(fallback)));
    }

    /** Call after reading every option: a typo must not be silently ignored. */
    void requireAllUsed() {
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", values.keySet()));
        }
    }
}
