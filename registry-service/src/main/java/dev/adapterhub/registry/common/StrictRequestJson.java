package dev.adapterhub.registry.common;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.lang.reflect.Type;
import java.util.function.BiFunction;

/**
 * How request bodies are read, for every resource that takes JSON ({@code @CustomDeserialization}): a key given
 * twice in one object is a 400 naming it, where Jackson would let the last one win silently (two parsers of one
 * body could then disagree on what it says). Unknown fields stay ignored (README: a tolerant reader, so that
 * clients and services can be upgraded in any order), except inside training hyperparameters.
 */
public class StrictRequestJson implements BiFunction<ObjectMapper, Type, ObjectReader> {

    @Override
    public ObjectReader apply(ObjectMapper mapper, Type type) {
        return mapper.readerFor(mapper.constructType(type))
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
}
