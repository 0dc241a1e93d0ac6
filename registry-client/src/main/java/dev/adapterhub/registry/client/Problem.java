package dev.adapterhub.registry.client;

import java.util.List;

/**
 * The registry's RFC 9457 problem details (media type {@code application/problem+json}).
 *
 * @param type       URI of the problem type, e.g. {@code urn:adapterhub:problem:lease-lost}
 * @param violations every validation rule the input broke, for validation failures
 */
public record Problem(String type, String title, int status, String detail, String instance,
                      List<String> violations) {

    /** The last segment of {@link #type()}, e.g. {@code lease-lost}; null without a type. */
    public String slug() {
        return type == null ? null : type.substring(type.lastIndexOf(':') + 1);
    }
}
