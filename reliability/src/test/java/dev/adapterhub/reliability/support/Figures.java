package dev.adapterhub.reliability.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A suite's figures: printed as they are measured and written to {@code target/reliability/<name>.json} with the
 * date and the machine, for docs/reliability.md.
 */
public final class Figures {

    private final String name;
    private final Map<String, Object> values = new LinkedHashMap<>();

    public Figures(String name) {
        this.name = name;
    }

    public Figures put(String key, Object value) {
        values.put(key, value);
        System.out.println("[" + name + "] " + key + " = " + value);
        return this;
    }

    public Path write() throws IOException {
        Path out = Files.createDirectories(Path.of("target", "reliability")).resolve(name + ".json");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("suite", name);
        document.put("date", Instant.now().toString());
        document.put("machine", machine());
        document.put("figures", values);
        new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.toFile(), document);
        System.out.println("[" + name + "] figures in " + out.toAbsolutePath());
        return out;
    }

    /** Cores, memory and JVM of the machine the suite ran on. */
    public static String machine() {
        long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        return String.format(Locale.ROOT, "%d cores, %.0f GiB memory, %s %s, Java %s",
                Runtime.getRuntime().availableProcessors(), memory / 1073741824.0, System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
    }
}
