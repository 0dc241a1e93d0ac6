package dev.adapterhub.registry.version.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stored seed example, in insertion order. */
@Schema(name = "SeedExample")
public record SeedExampleDto(int position, String prompt, String completion) {
}
