package dev.adapterhub.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker in KRaft mode, running in this JVM as a single combined broker + controller node with its
 * log directory in a given directory. Topics are created on first use; all replication factors are 1.
 */
public final class KafkaServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final int port;

    private KafkaServer(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a throw-away broker on a free port. */
    public static KafkaServer start(Path dataDir) {
        return start(dataDir, 0, Durability.EPHEMERAL);
    }

    /**
     * Starts a broker whose logs live in {@code dataDir} (formatted on first use, reused afterwards).
     *
     * @param port the client (PLAINTEXT) port, or 0 for a free one; the controller uses another free port
     */
    public static KafkaServer start(Path dataDir, int port, Durability durability) {
        int brokerPort = Ports.claim(port, "Kafka");
        int controllerPort = Ports.free();
        Path logDir = dataDir.resolve("logs");
        Properties properties = brokerProperties(logDir, brokerPort, controllerPort, durability);
        try {
            Files.createDirectories(logDir);
            format(dataDir, properties);
        } catch (IOException e) {
            throw new IllegalStateException("Could not prepare Kafka storage in " + dataDir, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        try {
            server.startup();
            awaitReady(brokerPort);
        } catch (RuntimeException e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        return new KafkaServer(server, brokerPort);
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort, Durability durability) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + Ports.LOOPBACK + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + Ports.LOOPBACK + ":" + brokerPort + ",CONTROLLER://" + Ports.LOOPBACK + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + Ports.LOOPBACK + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.cleaner.threads", "1");
        p.put("num.recovery.threads.per.data.dir", "1");
        if (durability == Durability.EPHEMERAL) {
            // Tests create and forget topics; small segments keep the temp directory small.
            p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        } else {
            p.put("log.retention.hours", "-1");
        }
        return p;
    }

    /** Formats the log directory unless an earlier run already did (then its cluster id is kept). */
    private static void format(Path dataDir, Properties properties) throws IOException {
        Path config = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            properties.store(out, "Written by AdapterHub local-stack on every start; edits are overwritten");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(new String[] {
                "format", "--config", config.toString(),
                "--cluster-id", existingClusterId(properties).orElseGet(() -> Uuid.randomUuid().toString()),
                "--ignore-formatted"
            }, print);
        }
        if (status != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed (" + status + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** The cluster id of an already formatted log directory; formatting again must repeat it. */
    private static Optional<String> existingClusterId(Properties properties) throws IOException {
        Path meta = Path.of(properties.getProperty("log.dirs")).resolve("meta.properties");
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties stored = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            stored.load(in);
        }
        return Optional.ofNullable(stored.getProperty("cluster.id"));
    }

    /** The broker reports started before it has registered with its controller; wait until clients can use it. */
    private static void awaitReady(int brokerPort) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Ports.LOOPBACK + ":" + brokerPort,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            int brokers = admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            if (brokers == 0) {
                throw new IllegalStateException("Kafka started but reports no broker");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not become ready within " + READY_TIMEOUT, e);
        }
    }

    public int port() {
        return port;
    }

    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
