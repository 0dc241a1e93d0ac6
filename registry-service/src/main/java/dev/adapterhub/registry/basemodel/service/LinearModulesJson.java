package dev.adapterhub.registry.basemodel.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.formats.hf.LinearModules;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/** Stores {@link LinearModules} as a JSON object {module path: [out, in]} in the base_model row. */
@ApplicationScoped
public class LinearModulesJson {

    private final ObjectMapper objectMapper;

    public LinearModulesJson(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public String write(LinearModules modules) {
        Map<String, long[]> out = new LinkedHashMap<>();
        modules.modules().forEach((module, shape) -> out.put(module, shape.toArray()));
        try {
            return objectMapper.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public LinearModules read(String json) {
        try {
            Map<String, long[]> in = objectMapper.readValue(json, new TypeReference<LinkedHashMap<String, long[]>>() {
            });
            Map<String, LinearModules.Shape> modules = new LinkedHashMap<>();
            in.forEach((module, shape) -> modules.put(module, new LinearModules.Shape(shape[0], shape[1])));
            return LinearModules.of(modules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored linear module shapes are corrupt", e);
        }
    }
}
