package dev.adapterhub.registry.storage;

import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.error.StorageUnavailableException;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Item;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import dev.adapterhub.formats.digest.Sha256;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry's only door to object storage. Keys follow two prefixes: {@value #STAGING_PREFIX} for uploads
 * that are not validated yet and {@value #BLOB_PREFIX} for committed, content-addressed blobs.
 */
@ApplicationScoped
public class ObjectStorage {

    public static final String STAGING_PREFIX = "staging/";
    public static final String BLOB_PREFIX = "blobs/sha256/";

    private static final Logger LOG = Logger.getLogger(ObjectStorage.class);

    private final RegistryConfig.Storage config;
    private final MinioClient client;

    public ObjectStorage(RegistryConfig config) {
        this.config = config.storage();
        this.client = MinioClient.builder()
                .endpoint(this.config.endpoint())
                .credentials(this.config.accessKey(), this.config.secretKey())
                .region(this.config.region())
                .build();
    }

    void createBucketAtStartup(@Observes StartupEvent event) {
        try {
            ensureBucket();
        } catch (StorageUnavailableException e) {
            // Readiness stays DOWN and retries; the service still starts so operators can see why.
            LOG.errorf(e, "Could not create bucket %s at startup", config.bucket());
        }
    }

    public String bucket() {
        return config.bucket();
    }

    public static String blobKey(String sha256Hex) {
        return BLOB_PREFIX + sha256Hex;
    }

    /** Creates the service's bucket when missing; returns whether it exists afterwards. */
    public boolean ensureBucket() {
        return call("check bucket", () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(config.bucket()).build());
                LOG.infof("Created bucket %s", config.bucket());
            }
            return true;
        });
    }

    /** Streams a local file to {@code key}, computing its SHA-256 on the way. */
    public StoredObject putFile(String key, Path file, String contentType) {
        return call("upload " + key, () -> {
            long size = Files.size(file);
            MessageDigest sha256 = Sha256.newDigest();
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
                client.putObject(PutObjectArgs.builder()
                        .bucket(config.bucket())
                        .object(key)
                        .stream(in, size, -1)
                        .contentType(contentType)
                        .build());
            }
            return new StoredObject(config.bucket(), key, size, Sha256.finish(sha256));
        });
    }

    /** Server-side copy inside the service's bucket. */
    public void copy(String sourceKey, String targetKey) {
        call("copy " + sourceKey, () -> client.copyObject(CopyObjectArgs.builder()
                .bucket(config.bucket())
                .object(targetKey)
                .source(CopySource.builder().bucket(config.bucket()).object(sourceKey).build())
                .build()));
    }

    public boolean exists(String key) {
        return stat(config.bucket(), key).isPresent();
    }

    public Optional<StatObjectResponse> stat(String bucket, String key) {
        return call("stat " + key, () -> {
            try {
                return Optional.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
            } catch (ErrorResponseException e) {
                String code = e.errorResponse().code();
                if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code)
                        || e.response().code() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** Opens an object for reading; the caller closes the stream. */
    public InputStream open(String bucket, String key) {
        return call("read " + key, () -> {
            try {
                return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
            } catch (ErrorResponseException e) {
                if (e.response().code() == 404) {
                    throw new ResourceNotFoundException("Object " + key + " is missing from storage");
                }
                throw e;
            }
        });
    }

    /** Reads a byte range of an object; the caller closes the stream. */
    public InputStream openRange(String bucket, String key, long offset, long length) {
        return call("read " + key, () -> client.getObject(GetObjectArgs.builder()
                .bucket(bucket).object(key).offset(offset).length(length).build()));
    }

    public void remove(String key) {
        call("remove " + key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(config.bucket()).object(key).build());
            return null;
        });
    }

    /** Best-effort removal used on cleanup paths, where a failure must not hide the original error. */
    public void removeQuietly(String key) {
        try {
            remove(key);
        } catch (RuntimeException e) {
            LOG.warnf("Could not remove %s (the staging sweeper will retry): %s", key, e.getMessage());
        }
    }

    public List<ObjectSummary> list(String bucket, String prefix) {
        return call("list " + prefix, () -> {
            List<ObjectSummary> result = new ArrayList<>();
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                return result;
            }
            for (Result<Item> item : client.listObjects(
                    ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                Item value = item.get();
                if (!value.isDir()) {
                    result.add(new ObjectSummary(value.objectName(), value.size(),
                            value.lastModified() == null ? Instant.EPOCH : value.lastModified().toInstant()));
                }
            }
            return result;
        });
    }

    public String presignedGetUrl(String bucket, String key, String downloadName) {
        return call("presign " + key, () -> client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Method.GET)
                .bucket(bucket)
                .object(key)
                .expiry((int) config.presignExpiry().toSeconds())
                .extraQueryParams(java.util.Map.of("response-content-disposition",
                        "attachment; filename=\"" + downloadName + "\""))
                .build()));
    }

    private <T> T call(String what, StorageCall<T> call) {
        try {
            return call.run();
        } catch (ResourceNotFoundException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageUnavailableException("Object storage failed to " + what, new UncheckedIOException(e));
        } catch (Exception e) {
            throw new StorageUnavailableException("Object storage failed to " + what, e);
        }
    }

    @FunctionalInterface
    private interface StorageCall<T> {
        T run() throws Exception;
    }
}
