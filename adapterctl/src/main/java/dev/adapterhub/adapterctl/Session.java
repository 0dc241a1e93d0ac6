package dev.adapterhub.adapterctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.RetryPolicy;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What every command needs: the registry (from the options, the environment or the profile, in that order), where
 * to write, and how ({@code --output text|json}).
 */
final class Session {

    enum Output { text, json }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    private final Adapterctl options;
    private RegistryClient registry;

    Session(Adapterctl options, PrintStream out, PrintStream err, Map<String, String> env) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.env = env;
    }

    Output output() {
        return options.output;
    }

    boolean json() {
        return options.output == Output.json;
    }

    Profiles profiles() {
        return Profiles.load(options.config != null ? options.config : Profiles.defaultFile(env));
    }

    RegistryClient registry() {
        if (registry == null) {
            Profiles.Profile profile = profiles().get(options.profile).orElse(new Profiles.Profile(null, null));
            String url = first(options.url, env.get("ADAPTERHUB_URL"), profile.url());
            String key = first(options.key, env.get("ADAPTERHUB_API_KEY"), profile.key());
            if (url == null) {
                throw new IllegalArgumentException("no registry: run 'adapterctl login --registry <url> --key <key>', "
                        + "or set ADAPTERHUB_URL and ADAPTERHUB_API_KEY");
            }
            registry = RegistryClient.builder().setUrl(url).optApiKey(key).optTimeout(Duration.ofMinutes(10))
                    .optRetry(RetryPolicy.defaults()).build();
        }
        return registry;
    }

    /** Prints what the registry answered: as JSON, or as {@code field: value} lines for a person. */
    void print(JsonNode node) {
        if (json()) {
            out.println(write(node));
            return;
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> out.println(field.getKey() + ": " + text(field.getValue())));
        } else {
            out.println(text(node));
        }
    }

    /** A list (a page's {@code items} or an array) as a table of {@code columns}; whole as JSON. */
    void table(JsonNode node, String... columns) {
        if (json()) {
            out.println(write(node));
            return;
        }
        JsonNode items = node.has("items") ? node.get("items") : node;
        List<String[]> rows = new ArrayList<>();
        rows.add(columns);
        for (JsonNode item : items) {
            String[] row = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                row[i] = text(item.at("/" + columns[i].replace('.', '/')));
            }
            rows.add(row);
        }
        int[] widths = new int[columns.length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
                parts.add(text(it.next()));
            }
            return String.join(",", parts);
        }
        return value.toString();
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
