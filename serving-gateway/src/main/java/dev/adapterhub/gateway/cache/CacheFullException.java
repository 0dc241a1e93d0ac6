package dev.adapterhub.gateway.cache;

/** No room: every loaded adapter is pinned or serving a request. Requests get 503 with Retry-After. */
public class CacheFullException extends RuntimeException {

    public CacheFullException(String message) {
        super(message);
    }
}
