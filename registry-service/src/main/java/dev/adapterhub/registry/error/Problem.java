package dev.adapterhub.registry.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** RFC 9457 problem details, the body of every 4xx and 5xx response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details (media type application/problem+json)")
public record Problem(
        @Schema(description = "URI identifying the problem type", examples = "urn:adapterhub:problem:not-found")
        String type,
        @Schema(description = "Short summary of the problem type")
        String title,
        @Schema(description = "HTTP status code")
        int status,
        @Schema(description = "Explanation specific to this occurrence")
        String detail,
        @Schema(description = "The request path")
        String instance,
        @Schema(description = "Every validation rule the input broke, when the problem is a validation failure")
        List<String> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
