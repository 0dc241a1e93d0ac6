package dev.adapterhub.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What the launcher relies on: a second start on the same data directory serves the data of the first. */
class LocalBackendsRestartIT {

    private static final byte[] OBJECT = "kept across restarts".getBytes(StandardCharsets.UTF_8);

    @Test
    void aRestartOnTheSameDataDirectoryKeepsRowsRecordsAndObjects() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "local-backends-restart-");

        try (LocalBackends first = LocalBackends.start(dir, LocalBackends.PortSettings.ANY, Durability.DURABLE)) {
            Map<String, String> p = first.serviceProperties();
            try (Connection connection = jdbc(p); Statement statement = connection.createStatement()) {
                statement.execute("create table kept (v text)");
                statement.execute("insert into kept values ('row from the first run')");
            }
            try (KafkaProducer<String, String> producer = producer(p)) {
                producer.send(new ProducerRecord<>("kept", "k", "record from the first run")).get();
            }
            MinioClient minio = minio(p);
            minio.makeBucket(MakeBucketArgs.builder().bucket("kept").build());
            minio.putObject(PutObjectArgs.builder().bucket("kept").object("o.txt")
                    .stream(new ByteArrayInputStream(OBJECT), OBJECT.length, -1).build());
        }

        // Ports are chosen anew: the data must not depend on them.
        try (LocalBackends second = LocalBackends.start(dir, LocalBackends.PortSettings.ANY, Durability.DURABLE)) {
            Map<String, String> p = second.serviceProperties();
            try (Connection connection = jdbc(p); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select v from kept")) {
                assertTrue(rows.next());
                assertEquals("row from the first run", rows.getString(1));
            }
            assertEquals(List.of("record from the first run"), readAll(p, "kept"));
            try (InputStream in = minio(p).getObject(GetObjectArgs.builder().bucket("kept").object("o.txt").build())) {
                assertArrayEquals(OBJECT, in.readAllBytes());
            }
        }
    }

    private static Connection jdbc(Map<String, String> p) throws Exception {
        return DriverManager.getConnection(p.get("quarkus.datasource.jdbc.url"), p.get("quarkus.datasource.username"),
                p.get("quarkus.datasource.password"));
    }

    private static KafkaProducer<String, String> producer(Map<String, String> p) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, p.get("kafka.bootstrap.servers"));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    private static List<String> readAll(Map<String, String> p, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, p.get("kafka.bootstrap.servers"));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-test");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    private static MinioClient minio(Map<String, String> p) {
        return MinioClient.builder()
                .endpoint(p.get("adapterhub.storage.endpoint"))
                .credentials(p.get("adapterhub.storage.access-key"), p.get("adapterhub.storage.secret-key"))
                .region(p.get("adapterhub.storage.region"))
                .build();
    }
}
