package dev.adapterhub.registry;

import dev.adapterhub.localstack.Durability;
import dev.adapterhub.localstack.KafkaServer;
import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.events.EventSender;
import dev.adapterhub.registry.events.OutboxRelay;
import dev.adapterhub.registry.events.OutboxRepository;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.State;
import dev.adapterhub.schemas.EventSchemas;
import dev.adapterhub.testsupport.BackendsTestResource;
import dev.adapterhub.testsupport.KafkaTopicProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay survives a Kafka outage: while no broker is reachable the event stays in the outbox (attempts counted,
 * nothing lost); once a broker comes up on that address the event is delivered exactly once.
 */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class OutboxRelayIT {

    @Inject
    DataSource dataSource;

    @Inject
    OutboxRepository outbox;

    @Inject
    RegistryConfig config;

    @Inject
    Scheduler scheduler;

    @Test
    void eventsWaitInTheOutboxWhileKafkaIsDownAndAreSentOnceItIsBack() throws Exception {
        String base = Api.registerTinyBase();
        await().atMost(Duration.ofSeconds(20)).until(() -> State.pendingOutbox(dataSource) == 0);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RegistryConfig toDownBroker = withBroker(config, "127.0.0.1:" + port);
        EventSender sender = new EventSender(toDownBroker);
        OutboxRelay relay = new OutboxRelay(outbox, sender, toDownBroker, new SimpleMeterRegistry());
        Path kafkaDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "second-kafka-");
        KafkaServer broker = null;
        scheduler.pause();
        try {
            String adapterId = Api.createAdapter(Api.unique("outage"), "team-a", base, "LORA", List.of())
                    .then().statusCode(201).extract().jsonPath().getString("id");
            UUID eventId = pendingEventOf(adapterId);

            assertEquals(0, relay.relayPending());
            assertEquals(0, relay.relayPending());
            QuarkusTransaction.requiringNew().run(() -> {
                var row = outbox.findById(eventId);
                assertNull(row.publishedAt);
                assertEquals(2, row.attempts);
                assertNotNull(row.lastError);
            });

            broker = KafkaServer.start(kafkaDir, port, Durability.EPHEMERAL);
            try (KafkaTopicProbe probe = KafkaTopicProbe.mark(broker.bootstrapServers(), config.events().topic())) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> relay.relayPending() >= 0 && isPublished(eventId));
                List<ConsumerRecord<String, String>> records = probe.awaitRecords(
                        r -> adapterId.equals(r.key()), 1, Duration.ofSeconds(20));
                assertEquals(1, records.size());
                assertTrue(records.get(0).value().contains(eventId.toString()));
                assertEquals(List.of(), EventSchemas.validate(records.get(0).value()));
                // nothing left to send, so another run sends no duplicate
                assertEquals(0, relay.relayPending());
                assertEquals(1, probe.recordsSince(r -> adapterId.equals(r.key())).size());
            }
        } finally {
            scheduler.resume();
            sender.close();
            if (broker != null) {
                broker.close();
            }
        }
    }

    private UUID pendingEventOf(String adapterId) {
        return QuarkusTransaction.requiringNew().call(() -> outbox
                .find("aggregateId = ?1 and publishedAt is null", UUID.fromString(adapterId))
                .singleResult().id);
    }

    private boolean isPublished(UUID eventId) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.findById(eventId).publishedAt != null);
    }

    /** The application's configuration with another broker address and a short send timeout. */
    private static RegistryConfig withBroker(RegistryConfig real, String bootstrapServers) {
        RegistryConfig.Events events = new RegistryConfig.Events() {
            @Override
            public String topic() {
                return real.events().topic();
            }

            @Override
            public boolean createTopic() {
                return true;
            }

            @Override
            public int topicPartitions() {
                return 1;
            }

            @Override
            public String bootstrapServers() {
                return bootstrapServers;
            }

            @Override
            public Duration relayInterval() {
                return real.events().relayInterval();
            }

            @Override
            public int relayBatchSize() {
                return real.events().relayBatchSize();
            }

            @Override
            public Duration sendTimeout() {
                return Duration.ofSeconds(2);
            }
        };
        return new RegistryConfig() {
            @Override
            public Storage storage() {
                return real.storage();
            }

            @Override
            public Events events() {
                return events;
            }

            @Override
            public Limits limits() {
                return real.limits();
            }

            @Override
            public Security security() {
                return real.security();
            }
        };
    }
}
