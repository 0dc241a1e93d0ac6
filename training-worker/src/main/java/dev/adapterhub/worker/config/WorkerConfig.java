package dev.adapterhub.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Runtime configuration of a training worker. Every key lives under {@code adapterhub.worker.} and every default
 * is stated here. The lease protocol these values tune is ADR 0005.
 */
@ConfigMapping(prefix = "adapterhub.worker")
public interface WorkerConfig {

    /**
     * REST base of registry-service, e.g. {@code http://registry:8080/api/v1}; by default the platform-wide
     * {@code adapterhub.registry.url} (the same key the serving-gateway reads).
     */
    @WithDefault("${adapterhub.registry.url:http://localhost:8080/api/v1}")
    String registryUrl();

    /**
     * API key of this service's account at the registry (Helm: a Secret); by default the platform-wide
     * {@code adapterhub.registry.api-key}. Unset only against a registry with security disabled.
     */
    @WithDefault("${adapterhub.registry.api-key:}")
    Optional<String> registryApiKey();

    /** Stable id of this process in claims and logs; default: host name + pid. */
    Optional<String> workerId();

    /** Kafka bootstrap servers; by default the platform-wide {@code kafka.bootstrap.servers}. */
    @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
    String bootstrapServers();

    /** Consumer group of all training workers. */
    @WithDefault("adapterhub-training-workers")
    String groupId();

    /** Dispatch topic (records of type dev.adapterhub.training.job.dispatched). */
    @WithDefault("adapterhub.training.jobs.v1")
    String dispatchTopic();

    /** Where records that cannot be parsed are copied, unchanged, before their offset is committed. */
    @WithDefault("adapterhub.training.jobs.dlq.v1")
    String deadLetterTopic();

    /**
     * Kafka consumer session timeout: how long a crashed worker keeps its partitions before the group hands them
     * to another worker (the job itself is handed over by the registry's lease, not by Kafka).
     */
    @WithDefault("PT45S")
    Duration sessionTimeout();

    /** How often the lease is renewed; must be well below the registry's adapterhub.jobs.lease-duration. */
    @WithDefault("PT10S")
    Duration heartbeatInterval();

    /** Minimum time between two progress reports (evaluations and checkpoints are always reported). */
    @WithDefault("PT5S")
    Duration progressInterval();

    /** Timeout of one call to the registry (a completion uploads the adapter files). */
    @WithDefault("PT60S")
    Duration registryTimeout();

    /** How long to wait before retrying a dispatch record when the registry could not be reached. */
    @WithDefault("PT5S")
    Duration retryBackoff();

    /**
     * At most this many training examples are handed in as seed examples (kept for Trans-LoRA, whose generation
     * prompt numbers them); at most the registry's {@code adapterhub.limits.max-seed-examples}.
     */
    @WithDefault("5")
    int maxSeedExamples();

    /** The transfer kit's discriminator, made after every job that does not opt out (ADR 10). */
    TransferKit transferKit();

    /** TRANSFER jobs: Trans-LoRA's synthesis and the copy rung (ADR 10). */
    Transfer transfer();

    /** Object storage holding base models, datasets and checkpoints. */
    Storage storage();

    /** Local caches and DJL runtime settings. */
    Runtime runtime();

    /**
     * The S3-compatible store; by default the platform-wide {@code adapterhub.storage.*} keys that every service
     * reads. Buckets are named by the registry in each claim.
     */
    interface Storage {
        /** S3 endpoint URL, e.g. {@code http://minio:9000}. */
        @WithDefault("${adapterhub.storage.endpoint:http://localhost:9000}")
        String endpoint();

        /** Access key of the service account. */
        @WithDefault("${adapterhub.storage.access-key}")
        String accessKey();

        /** Secret key of the service account. */
        @WithDefault("${adapterhub.storage.secret-key}")
        String secretKey();

        /** Region used for request signing. */
        @WithDefault("${adapterhub.storage.region:us-east-1}")
        String region();
    }

    interface TransferKit {
        /** Real training inputs the discriminator learns from at most; the base model writes as many fakes. */
        @WithDefault("256")
        int maxRealInputs();

        /** LoRA steps of the discriminator (batch 16). */
        @WithDefault("120")
        int steps();

        /** Learning rate of the discriminator's LoRA. */
        @WithDefault("1e-3")
        double learningRate();

        /** Sampling temperature with which the base model writes the discriminator's generated inputs. */
        @WithDefault("1.0")
        float temperature();
    }

    interface Transfer {
        /** Sampling temperature of the target base's synthetic inputs. */
        @WithDefault("1.0")
        float temperature();

        /** Share of the labelled synthetic set held out (with the seeds) to evaluate on, without an evaluation set. */
        @WithDefault("0.1")
        double holdoutFraction();

        /** Examples of a registered evaluation set scored at most (its first ones): each costs three decodes. */
        @WithDefault("1000")
        int maxEvaluationExamples();
    }

    interface Runtime {
        /** Directory of downloaded base models and datasets, one sub-directory per SHA-256. */
        @WithDefault("${java.io.tmpdir}/adapterhub-worker/cache")
        String cacheDir();

        /** Scratch space for a job's checkpoints and exported adapter; cleaned after each job. */
        @WithDefault("${java.io.tmpdir}/adapterhub-worker/work")
        String workDir();

        /** {@code auto} (CUDA when present, else CPU), {@code cpu} or {@code gpu}. */
        @WithDefault("auto")
        String device();

        /** Intra-op threads of libtorch; 0 = libtorch's default (all cores). */
        @WithDefault("0")
        int threads();

        /**
         * Run the training forward of LoRA and LoRA-GA jobs as one TorchScript call (engine option
         * {@code TrainingConfig.compiledForward}, ADR 17); off until GPU measurements say it pays.
         */
        @WithDefault("false")
        boolean compiledForward();
    }
}
