package dev.adapterhub.gateway.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.resolve.ModelCatalog;
import dev.adapterhub.gateway.resolve.ModelResolver;
import dev.adapterhub.gateway.serving.AdapterManager;
import dev.adapterhub.gateway.serving.InferenceService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows the registry's lifecycle topic to keep resolutions fresh: alias moves, new and deprecated versions drop
 * the adapter's cached resolutions (and prefetch the alias's new target when the adapter is in use here); base
 * model supersede/retire drop everything. Cached weights never need invalidation: they are keyed by digest.
 *
 * <p>Every replica must see every event, so the consumer assigns itself all partitions (no consumer group, no
 * committed offsets) and starts at the end: a fresh gateway has nothing cached that older events could concern.
 */
@ApplicationScoped
public class RegistryEventListener {

    private static final Logger LOG = Logger.getLogger(RegistryEventListener.class);
    private static final String PREFIX = "dev.adapterhub.registry.";

    private final GatewayConfig config;
    private final ModelResolver resolver;
    private final ModelCatalog catalog;
    private final AdapterManager adapters;
    private final InferenceService service;
    private final ObjectMapper json;
    private final AtomicLong handled = new AtomicLong();
    private volatile boolean running;
    private volatile boolean assigned;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private final ExecutorService prefetcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "adapter-prefetch");
        t.setDaemon(true);
        return t;
    });

    public RegistryEventListener(GatewayConfig config, ModelResolver resolver, ModelCatalog catalog,
                                 AdapterManager adapters, InferenceService service, ObjectMapper json) {
        this.config = config;
        this.resolver = resolver;
        this.catalog = catalog;
        this.adapters = adapters;
        this.service = service;
        this.json = json;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.events().enabled()) {
            LOG.info("Registry events disabled: resolutions expire by TTL only");
            return;
        }
        running = true;
        thread = new Thread(this::run, "registry-events");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        prefetcher.shutdownNow();
    }

    /** True once the consumer is positioned on the topic (tests wait for it before producing events). */
    public boolean isAssigned() {
        return assigned;
    }

    /** Events handled since start. */
    public long handled() {
        return handled.get();
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.events().bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "serving-gateway-events");
        // the registry owns its topic (partitions, retention); a gateway started first must not create it
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // an unreachable broker is retried quietly; resolutions keep working on their TTL meanwhile
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "10000");
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
                consumer = c;
                List<TopicPartition> partitions = awaitPartitions(c);
                if (partitions == null) {
                    return;
                }
                c.assign(partitions);
                c.seekToEnd(partitions);
                partitions.forEach(c::position);
                assigned = true;
                LOG.infof("Following %s (%d partitions)", config.events().topic(), partitions.size());
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        handle(r.value());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                assigned = false;
                // everything may have changed while we were not listening
                resolver.invalidateAll();
                catalog.invalidate();
                LOG.warn("Registry event consumer failed; reconnecting", e);
                sleep(2000);
            }
        }
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<byte[], byte[]> c) {
        while (running) {
            List<PartitionInfo> infos = c.partitionsFor(config.events().topic(), Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
            sleep(2000);
        }
        return null;
    }

    void handle(byte[] value) {
        JsonNode ev;
        try {
            ev = json.readTree(value);
        } catch (Exception e) {
            LOG.warn("Skipping an unreadable registry event");
            return;
        }
        String type = ev.path("type").asText("");
        JsonNode data = ev.path("data");
        handled.incrementAndGet();
        if (!type.startsWith(PREFIX)) {
            return;
        }
        catalog.invalidate();
        switch (type.substring(PREFIX.length())) {
            case "alias.moved" -> {
                String name = data.path("adapterName").asText();
                resolver.invalidateAdapter(name);
                if (config.events().prefetchOnAliasMove() && adapters.hasLoadedVersionOf(name)) {
                    String ref = name + "@" + data.path("version").asInt();
                    prefetcher.submit(() -> prefetch(ref));
                }
            }
            case "adapter-version.published", "adapter-version.deprecated", "adapter.created" ->
                    resolver.invalidateAdapter(data.path("adapterName").asText(data.path("name").asText()));
            case "base-model.superseded", "base-model.retired", "base-model.registered" -> resolver.invalidateAll();
            default -> {
                // other registry events do not change what a model name means
            }
        }
    }

    private void prefetch(String ref) {
        try {
            service.preload(ref);
            LOG.infof("Prefetched %s after an alias move", ref);
        } catch (RuntimeException e) {
            LOG.warnf("Prefetching %s failed: %s", ref, e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
