package dev.adapterhub.registry.adapter.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.UUID;

/** The base model an adapter (or version) belongs to. */
@Schema(name = "BaseModelRef")
public record BaseModelRefDto(UUID id, String name, String revision) {
}
