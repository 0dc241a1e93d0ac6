package dev.adapterhub.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalBackendsIT {

    private static LocalBackends backends;

    @BeforeAll
    static void startBackends() throws Exception {
        Path dir = Files.createTempDirectory(Paths.get(System.getProperty("java.io.tmpdir")), "local-backends-test-");
        backends = LocalBackends.start(dir);
    }

    @AfterAll
    static void stopBackends() {
        if (backends != null) {
            backends.close();
        }
    }

    @Test
    void servicePropertiesAndEnvironmentNameTheSameValues() {
        Map<String, String> properties = backends.serviceProperties();
        assertEquals(List.of("quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password",
                "kafka.bootstrap.servers", "adapterhub.storage.endpoint", "adapterhub.storage.access-key",
                "adapterhub.storage.secret-key", "adapterhub.storage.region"), List.copyOf(properties.keySet()));
        Map<String, String> environment = backends.environment();
        assertEquals(List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                "KAFKA_BOOTSTRAP_SERVERS", "ADAPTERHUB_STORAGE_ENDPOINT", "ADAPTERHUB_STORAGE_ACCESS_KEY",
                "ADAPTERHUB_STORAGE_SECRET_KEY", "ADAPTERHUB_STORAGE_REGION"), List.copyOf(environment.keySet()));
        assertEquals(properties.get("kafka.bootstrap.servers"), environment.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("us-east-1", properties.get("adapterhub.storage.region"));
        assertTrue(properties.get("quarkus.datasource.jdbc.url").startsWith("jdbc:postgresql://127.0.0.1:"));
        assertTrue(properties.get("quarkus.datasource.jdbc.url").endsWith("/adapterhub"));
    }

    @Test
    void postgresAnswersAndKeepsWrittenRows() throws Exception {
        Map<String, String> p = backends.serviceProperties();
        try (Connection connection = DriverManager.getConnection(p.get("quarkus.datasource.jdbc.url"),
                p.get("quarkus.datasource.username"), p.get("quarkus.datasource.password"));
                Statement statement = connection.createStatement()) {
            try (ResultSet one = statement.executeQuery("select 1, current_database()")) {
                assertTrue(one.next());
                assertEquals(1, one.getInt(1));
                assertEquals("adapterhub", one.getString(2));
            }
            statement.execute("create table roundtrip (id int primary key, name text not null)");
            statement.execute("insert into roundtrip values (7, 'seven'), (8, 'eight')");
            try (ResultSet rows = statement.executeQuery("select name from roundtrip where id = 8")) {
                assertTrue(rows.next());
                assertEquals("eight", rows.getString(1));
                assertFalse(rows.next());
            }
        }
    }

    @Test
    void kafkaDeliversAProducedRecordToAConsumer() throws Exception {
        String bootstrap = backends.serviceProperties().get("kafka.bootstrap.servers");
        String topic = "roundtrip-" + UUID.randomUUID();
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            sent = producer.send(new ProducerRecord<>(topic, "key-1", "hello")).get();
        }
        assertEquals(0, sent.offset());

        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "roundtrip-test");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        assertEquals(1, received.size());
        assertEquals("key-1", received.get(0).key());
        assertEquals("hello", received.get(0).value());
    }

    @Test
    void s3StoresServesPresignsAndRemovesObjects() throws Exception {
        Map<String, String> p = backends.serviceProperties();
        MinioClient minio = MinioClient.builder()
                .endpoint(p.get("adapterhub.storage.endpoint"))
                .credentials(p.get("adapterhub.storage.access-key"), p.get("adapterhub.storage.secret-key"))
                .region(p.get("adapterhub.storage.region"))
                .build();
        String bucket = "roundtrip-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] content = "adapter weights, pretend".getBytes(StandardCharsets.UTF_8);

        minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        assertTrue(minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object("a/b.bin")
                .stream(new ByteArrayInputStream(content), content.length, -1)
                .contentType("application/octet-stream").build());

        StatObjectResponse stat = minio.statObject(StatObjectArgs.builder().bucket(bucket).object("a/b.bin").build());
        assertEquals(content.length, stat.size());
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object("a/b.bin").build())) {
            assertArrayEquals(content, in.readAllBytes());
        }

        String url = minio.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Method.GET).bucket(bucket).object("a/b.bin").expiry(300).build());
        HttpResponse<byte[]> presigned = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, presigned.statusCode());
        assertArrayEquals(content, presigned.body());

        HttpResponse<byte[]> unsigned = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url.substring(0, url.indexOf('?')))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(403, unsigned.statusCode());

        minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object("a/b.bin").build());
        ErrorResponseException gone = assertThrows(ErrorResponseException.class,
                () -> minio.statObject(StatObjectArgs.builder().bucket(bucket).object("a/b.bin").build()));
        assertEquals("NoSuchKey", gone.errorResponse().code());
    }
}
