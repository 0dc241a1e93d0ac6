package dev.adapterhub.gateway.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code text_completion} object, and {@code text_completion} chunks when streaming (usage null then). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                 Usage usage) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Choice(int index, String text, Object logprobs,
                         @JsonProperty("finish_reason") String finishReason) {
    }
}
