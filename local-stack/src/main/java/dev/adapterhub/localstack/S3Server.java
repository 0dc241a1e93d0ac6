package dev.adapterhub.localstack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3-compatible object store (embedded S3Proxy) keeping buckets as directories under a given directory, on
 * 127.0.0.1, accepting AWS signature V2 and V4 with fixed development credentials.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "adapterhub";
    public static final String SECRET_KEY = "adapterhub-secret";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final int port;

    private S3Server(S3Proxy proxy, int port) {
        this.proxy = proxy;
        this.port = port;
    }

    /** Starts a store on a free port. */
    public static S3Server start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * Starts a store whose buckets live in {@code dataDir}; existing buckets and objects are served again.
     *
     * @param port the port to listen on, or 0 for a free one
     */
    public static S3Server start(Path dataDir, int port) {
        int resolvedPort = Ports.claim(port, "S3");
        try {
            Files.createDirectories(dataDir);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString()))
                    .endpoint(URI.create("http://" + Ports.LOOPBACK + ":" + resolvedPort))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .jettyMaxThreads(32)
                    .build();
            // Jetty's start is synchronous: afterwards the server is either started or failed.
            proxy.start();
            if (!"STARTED".equals(proxy.getState())) {
                throw new IllegalStateException("S3Proxy is " + proxy.getState() + " after start");
            }
            return new S3Server(proxy, resolvedPort);
        } catch (IOException e) {
            throw new IllegalStateException("Could not create S3 data directory " + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("S3 server failed to start on port " + resolvedPort, e);
        }
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3 server did not stop cleanly", e);
        }
    }
}
