package dev.adapterhub.gateway.openai;

import java.util.List;
import java.util.Set;

/**
 * The gateway's one chat template, used for every base model. Each message becomes {@code <|role|>\n content \n}
 * and the prompt ends with {@code <|assistant|>\n}; generation also stops at the next {@code <|user|>} or
 * {@code <|system|>} marker. A {@code chat_template} in a model's {@code tokenizer_config.json} (Jinja) is not
 * evaluated: tiny test models have none and one template keeps adapters trained through this gateway's format
 * consistent.
 */
public final class ChatTemplate {

    /** Roles accepted in requests; {@code developer} is OpenAI's newer name for {@code system}. */
    public static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    /** Stop strings added to every chat request. */
    public static final List<String> STOPS = List.of("<|user|>", "<|system|>");

    private ChatTemplate() {
    }

    public static String render(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            String role = "developer".equals(m.role()) ? "system" : m.role();
            sb.append("<|").append(role).append("|>\n").append(m.content()).append('\n');
        }
        return sb.append("<|assistant|>\n").toString();
    }
}
