package dev.adapterhub.registry.job.dto;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.adapterhub.registry.error.UnknownFieldsException;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads submitted {@link Hyperparameters} and refuses unknown fields: a typo such as {@code rnak} would
 * otherwise train with the default rank without anyone noticing. Put on the request field only, so stored
 * hyperparameters and every other DTO keep the application-wide lenient reading.
 */
public class StrictHyperparametersDeserializer extends StdDeserializer<Hyperparameters> {

    // The JSON names are the record component names: Hyperparameters renames none of them.
    private static final Set<String> FIELDS = Arrays.stream(Hyperparameters.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toUnmodifiableSet());

    public StrictHyperparametersDeserializer() {
        super(Hyperparameters.class);
    }

    @Override
    public Hyperparameters deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode node = context.readTree(parser);
        if (node.isObject()) {
            List<String> unknown = new ArrayList<>();
            node.fieldNames().forEachRemaining(name -> {
                if (!FIELDS.contains(name)) {
                    unknown.add(name);
                }
            });
            if (!unknown.isEmpty()) {
                throw new UnknownFieldsException(parser, Hyperparameters.class, unknown);
            }
        }
        // The class itself carries no custom deserializer, so this is Jackson's ordinary record reading.
        return context.readTreeAsValue(node, Hyperparameters.class);
    }
}
