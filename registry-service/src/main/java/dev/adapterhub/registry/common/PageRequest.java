package dev.adapterhub.registry.common;

import dev.adapterhub.registry.error.InvalidRequestException;

/** Validated paging parameters. */
public record PageRequest(int page, int size) {

    public static PageRequest of(Integer page, Integer size, int maxSize) {
        int p = page == null ? 0 : page;
        int s = size == null ? 20 : size;
        if (p < 0) {
            throw new InvalidRequestException("page must be >= 0");
        }
        if (s < 1 || s > maxSize) {
            throw new InvalidRequestException("size must be between 1 and " + maxSize);
        }
        return new PageRequest(p, s);
    }

    public int offset() {
        return page * size;
    }
}
