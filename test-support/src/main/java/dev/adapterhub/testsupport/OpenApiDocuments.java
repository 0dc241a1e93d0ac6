package dev.adapterhub.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a service's committed OpenAPI document (in {@code schemas}) with what it serves, for the services'
 * contract tests: the committed copy is the published contract, so it must say what the code serves.
 */
public final class OpenApiDocuments {

    private static final int MAX_REPORTED = 10;

    private OpenApiDocuments() {
    }

    /**
     * Up to ten differences between the committed file and the served text, both in {@code format} ({@code json} or
     * {@code yaml}), each a JSON pointer and what differs; empty when the documents agree. Server URLs are generated
     * from the host and port the document was produced on and are ignored; nothing else is.
     */
    public static List<String> differences(String format, Path committed, String served) throws IOException {
        ObjectMapper mapper = format.equals("yaml") ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        List<String> out = new ArrayList<>();
        collect("", withoutServers(mapper.readTree(committed.toFile())), withoutServers(mapper.readTree(served)), out);
        return out;
    }

    private static JsonNode withoutServers(JsonNode document) {
        ObjectNode copy = document.deepCopy();
        copy.remove("servers");
        return copy;
    }

    /** Object members are compared by name (their order carries no meaning), arrays element by element. */
    private static void collect(String path, JsonNode committed, JsonNode served, List<String> out) {
        if (out.size() >= MAX_REPORTED) {
            return;
        }
        if (committed.isObject() && served.isObject()) {
            Set<String> names = new TreeSet<>();
            committed.fieldNames().forEachRemaining(names::add);
            served.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String child = path + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!committed.has(name)) {
                    out.add(child + " is served but not committed");
                } else if (!served.has(name)) {
                    out.add(child + " is committed but not served");
                } else {
                    collect(child, committed.get(name), served.get(name), out);
                }
            }
        } else if (committed.isArray() && served.isArray() && committed.size() == served.size()) {
            for (int i = 0; i < committed.size(); i++) {
                collect(path + "/" + i, committed.get(i), served.get(i), out);
            }
        } else if (!committed.equals(served)) {
            out.add(path + ": committed " + shorten(committed) + ", served " + shorten(served));
        }
    }

    private static String shorten(JsonNode node) {
        String text = node.toString();
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }
}
