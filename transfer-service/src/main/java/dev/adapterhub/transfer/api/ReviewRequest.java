package dev.adapterhub.transfer.api;

/** Optional body of cancel, promote and reject. */
public record ReviewRequest(String note) {
}
