package dev.adapterhub.testsupport.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration table of a README: the Markdown table that follows the line
 * {@code <!-- config-table: checked against the @ConfigMapping interfaces -->}, one key per row, the key in
 * backticks in the first column and the default in backticks (or {@code (none)}) in the second.
 */
public final class ReadmeConfigTable {

    public static final String MARKER = "<!-- config-table: checked against the @ConfigMapping interfaces -->";

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|\\s*(`(.*?)`|\\(none\\))\\s*\\|.*$");

    private ReadmeConfigTable() {
    }

    /** key to default, as written in the README. */
    public static Map<String, String> read(Path readme) {
        List<String> lines;
        try {
            lines = Files.readAllLines(readme);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + readme, e);
        }
        int start = lines.indexOf(MARKER);
        if (start < 0) {
            throw new AssertionError(readme + " has no line " + MARKER + " before its configuration table");
        }
        Map<String, String> rows = new TreeMap<>();
        int i = start + 1;
        while (i < lines.size() && !lines.get(i).startsWith("|")) {
            i++;
        }
        i += 2; // header and separator
        for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            Matcher row = ROW.matcher(lines.get(i));
            if (!row.matches()) {
                throw new AssertionError(readme + ": configuration row not in the form "
                        + "| `key` | `default` or (none) | meaning |: " + lines.get(i));
            }
            String value = row.group(3) != null ? row.group(3) : ConfigReference.NO_DEFAULT;
            if (rows.put(row.group(1), value) != null) {
                throw new AssertionError(readme + ": key listed twice: " + row.group(1));
            }
        }
        return rows;
    }
}
