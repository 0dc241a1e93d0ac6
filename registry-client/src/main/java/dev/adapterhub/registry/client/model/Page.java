package dev.adapterhub.registry.client.model;

import java.util.List;

/** One page of a list; pages are 0-based and {@code total} counts every matching item. */
public record Page<T>(List<T> items, int page, int size, long total) {
}
