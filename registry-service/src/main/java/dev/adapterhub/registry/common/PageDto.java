package dev.adapterhub.registry.common;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** One page of a list, with the total number of matching items. Pages are 0-based. */
@Schema(name = "Page")
public record PageDto<T>(
        @Schema(description = "The items of this page") List<T> items,
        @Schema(description = "0-based page index") int page,
        @Schema(description = "Requested page size") int size,
        @Schema(description = "Total number of matching items") long total) {
}
