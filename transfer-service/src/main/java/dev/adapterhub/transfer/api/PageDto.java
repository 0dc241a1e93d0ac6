package dev.adapterhub.transfer.api;

import java.util.List;

/** One page of a list, 0-based. */
public record PageDto<T>(List<T> items, int page, int size, long total) {
}
