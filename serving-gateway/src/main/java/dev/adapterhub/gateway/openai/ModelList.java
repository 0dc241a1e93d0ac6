package dev.adapterhub.gateway.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** OpenAI's model list; each card also says what it is ({@code root}: base model, {@code parent}: its base). */
public record ModelList(String object, List<Card> data) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Card(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
                       String root, String parent) {
    }
}
