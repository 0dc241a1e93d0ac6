package dev.adapterhub.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** Command-line options of {@link LocalStackLauncher}. */
record LauncherOptions(Path dataDir, Path servicesDir, LocalBackends.PortSettings ports, Duration readyTimeout,
        boolean help) {

    static final String USAGE = """
            Usage: java -jar local-stack/target/local-stack.jar [options]

            Starts PostgreSQL, Kafka and an S3-compatible store, then every AdapterHub service whose
            <module>/target/quarkus-app/quarkus-run.jar exists, and prints their addresses. Ctrl-C stops everything.

            Options:
              --data-dir DIR         where backend data and service logs live, kept across restarts
                                     (default: .local-stack under the current directory)
              --services-dir DIR     the repository root holding the service modules
                                     (default: found from the current directory upwards)
              --postgres-port PORT   default 5432 (0: any free port)
              --kafka-port PORT      default 9092 (0: any free port)
              --s3-port PORT         default 9000 (0: any free port)
              --ready-timeout SEC    how long to wait for each service's readiness (default 180)
              --help                 print this text
            """;

    private static final Set<String> VALUED_OPTIONS = Set.of(
            "--data-dir", "--services-dir", "--postgres-port", "--kafka-port", "--s3-port", "--ready-timeout");

    static LauncherOptions parse(String[] args) {
        Path cwd = Path.of("").toAbsolutePath();
        Path dataDir = cwd.resolve(".local-stack");
        Path servicesDir = null;
        int postgresPort = LocalBackends.PortSettings.DEFAULTS.postgres();
        int kafkaPort = LocalBackends.PortSettings.DEFAULTS.kafka();
        int s3Port = LocalBackends.PortSettings.DEFAULTS.s3();
        Duration readyTimeout = Duration.ofSeconds(180);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return new LauncherOptions(dataDir, cwd, LocalBackends.PortSettings.ANY, readyTimeout, true);
            }
            if (!VALUED_OPTIONS.contains(option)) {
                throw new IllegalArgumentException("Unknown option " + option);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value for " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--data-dir" -> dataDir = Path.of(value).toAbsolutePath();
                case "--services-dir" -> servicesDir = Path.of(value).toAbsolutePath();
                case "--postgres-port" -> postgresPort = port(option, value);
                case "--kafka-port" -> kafkaPort = port(option, value);
                case "--s3-port" -> s3Port = port(option, value);
                case "--ready-timeout" -> readyTimeout = Duration.ofSeconds(positive(option, value));
                default -> throw new IllegalArgumentException("Unknown option " + option);
            }
        }
        if (servicesDir == null) {
            servicesDir = findRepositoryRoot(cwd);
        }
        return new LauncherOptions(dataDir.normalize(), servicesDir.normalize(),
                new LocalBackends.PortSettings(postgresPort, kafkaPort, s3Port), readyTimeout, false);
    }

    /** The nearest directory, from {@code start} upwards, that holds the multi-module build (pom.xml + local-stack). */
    static Path findRepositoryRoot(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("local-stack"))) {
                return dir;
            }
        }
        throw new IllegalArgumentException("No AdapterHub repository found at or above " + start
                + "; run from inside the repository or pass --services-dir");
    }

    private static int port(String option, String value) {
        int port = integer(option, value);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " must be between 0 and 65535, got " + value);
        }
        return port;
    }

    private static int positive(String option, String value) {
        int number = integer(option, value);
        if (number <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + value);
        }
        return number;
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects a number, got " + value);
        }
    }
}
