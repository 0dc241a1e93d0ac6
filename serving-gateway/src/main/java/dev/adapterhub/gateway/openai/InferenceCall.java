package dev.adapterhub.gateway.openai;

/**
 * One validated completion or chat request.
 *
 * @param chat         true for {@code /v1/chat/completions}
 * @param model        the {@code model} field as sent (base model or adapter reference)
 * @param prompt       the text the model continues (chat: after the chat template)
 * @param stream       answer as Server-Sent Events
 * @param includeUsage {@code stream_options.include_usage}: one extra chunk with usage before {@code [DONE]}
 */
public record InferenceCall(boolean chat, String model, String prompt, boolean stream, boolean includeUsage,
                            GenerationParams params) {
}
