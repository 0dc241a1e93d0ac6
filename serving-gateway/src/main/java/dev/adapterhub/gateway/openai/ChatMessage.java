package dev.adapterhub.gateway.openai;

/** One message of a chat request or the assistant's answer. */
public record ChatMessage(String role, String content) {
}
