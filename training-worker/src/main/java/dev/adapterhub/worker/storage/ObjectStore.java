package dev.adapterhub.worker.storage;

import dev.adapterhub.formats.digest.DigestMismatchException;
import dev.adapterhub.formats.digest.VerifiedCopy;
import dev.adapterhub.worker.config.WorkerConfig;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.minio.Result;
import io.minio.UploadObjectArgs;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The few object-storage operations a worker needs: download a file, upload and download a directory. */
@ApplicationScoped
public class ObjectStore {

    private final MinioClient client;

    public ObjectStore(WorkerConfig config) {
        WorkerConfig.Storage storage = config.storage();
        this.client = MinioClient.builder()
                .endpoint(storage.endpoint())
                .credentials(storage.accessKey(), storage.secretKey())
                .region(storage.region())
                .build();
    }

    /**
     * Writes the object to {@code target} atomically, and only when its bytes have {@code sha256} (a partial or
     * corrupted download never appears under that name).
     *
     * @param sha256 lower-case hex the bytes must have; null when nothing was recorded (then not checked)
     * @throws DigestMismatchException when the object's bytes differ from {@code sha256}
     */
    public void download(String bucket, String key, Path target, String sha256) throws IOException {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            VerifiedCopy.copy(in, target, "s3://" + bucket + "/" + key, sha256);
        } catch (IOException | DigestMismatchException e) {
            throw e;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                throw new MissingObjectException("s3://" + bucket + "/" + key + " is not in object storage, though "
                        + "the registry lists it");
            }
            throw new StorageException("download of s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new StorageException("download of s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Uploads every regular file below {@code directory} to {@code prefix + relative path}. */
    public void uploadDirectory(Path directory, String bucket, String prefix) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String key = prefix + directory.relativize(file).toString().replace('\\', '/');
            try {
                client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key)
                        .filename(file.toString()).build());
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new StorageException("upload to s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** Downloads every object below {@code prefix} into {@code directory}, keeping the relative paths. */
    public int downloadDirectory(String bucket, String prefix, Path directory) throws IOException {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                keys.add(result.get().objectName());
            }
        } catch (Exception e) {
            throw new StorageException("listing s3://" + bucket + "/" + prefix + " failed: " + e.getMessage(), e);
        }
        for (String key : keys) {
            Path target = directory.resolve(key.substring(prefix.length())).normalize();
            if (!target.startsWith(directory)) {
                throw new StorageException("object key " + key + " escapes " + directory, null);
            }
            // Checkpoints have no recorded digest (this worker's own uploads): copied atomically, not checked.
            download(bucket, key, target, null);
        }
        return keys.size();
    }
}
