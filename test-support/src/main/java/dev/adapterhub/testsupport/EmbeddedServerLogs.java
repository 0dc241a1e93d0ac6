package dev.adapterhub.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns the embedded servers' own INFO chatter (Kafka, S3Proxy, zonky) down to WARN in a test JVM. */
final class EmbeddedServerLogs {

    /** Kept as fields so that the level settings are not garbage-collected with the loggers. */
    private static final List<Logger> QUIETED = List.of(
            Logger.getLogger("kafka"),
            Logger.getLogger("org.apache.kafka"),
            Logger.getLogger("state.change.logger"),
            Logger.getLogger("org.gaul"),
            Logger.getLogger("io.zonky"));

    private EmbeddedServerLogs() {
    }

    /** Before the servers start (JUL, which the embedded servers log through in this JVM). */
    static void quiet() {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
    }

    /** The same levels as Quarkus properties, for the application under test. */
    static Map<String, String> quarkusLogLevels() {
        Map<String, String> config = new LinkedHashMap<>();
        for (Logger logger : QUIETED) {
            config.put("quarkus.log.category.\"" + logger.getName() + "\".level", "WARN");
        }
        return config;
    }
}
