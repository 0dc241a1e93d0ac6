package dev.adapterhub.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request body into an {@link InferenceCall}, naming the offending field of every refusal. Fields the
 * gateway does not implement are refused when they would change the answer (n > 1, echo, logprobs, penalties),
 * and ignored when they would not (user, metadata).
 */
public final class RequestParser {

    private static final int MAX_STOPS = 4;

    private final GatewayConfig config;

    public RequestParser(GatewayConfig config) {
        this.config = config;
    }

    public InferenceCall completion(JsonNode body) {
        requireObject(body);
        String model = model(body);
        JsonNode p = body.get("prompt");
        String prompt;
        if (p == null || p.isNull()) {
            throw ApiException.badParam("prompt", "prompt is required");
        } else if (p.isTextual()) {
            prompt = p.asText();
        } else if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
            prompt = p.get(0).asText();
        } else if (p.isArray()) {
            throw new ApiException(ApiError.UNSUPPORTED_PARAMETER,
                    "prompt must be a string or an array of exactly one string (token-id prompts and batches of "
                            + "prompts are not supported; send one request per prompt)", "prompt");
        } else {
            throw ApiException.badParam("prompt", "prompt must be a string");
        }
        if (bool(body, "echo", false)) {
            throw new ApiException(ApiError.UNSUPPORTED_PARAMETER, "echo is not supported", "echo");
        }
        if (body.hasNonNull("suffix")) {
            throw new ApiException(ApiError.UNSUPPORTED_PARAMETER, "suffix is not supported", "suffix");
        }
        refuseLogprobs(body, "logprobs");
        GenerationParams params = params(body, List.of());
        checkPromptLength(prompt, "prompt");
        return new InferenceCall(false, model, prompt, bool(body, "stream", false), includeUsage(body), params);
    }

    public InferenceCall chat(JsonNode body) {
        requireObject(body);
        String model = model(body);
        JsonNode ms = body.get("messages");
        if (ms == null || !ms.isArray() || ms.isEmpty()) {
            throw ApiException.badParam("messages", "messages must be a non-empty array");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            messages.add(message(ms.get(i), "messages[" + i + "]"));
        }
        if (bool(body, "logprobs", false)) {
            throw new ApiException(ApiError.UNSUPPORTED_PARAMETER, "logprobs is not supported", "logprobs");
        }
        if (body.hasNonNull("tools") || body.hasNonNull("functions")) {
            throw new ApiException(ApiError.UNSUPPORTED_PARAMETER, "tools are not supported", "tools");
        }
        JsonNode format = body.get("response_format");
        if (format != null && !format.isNull() && !"text".equals(format.path("type").asText("text"))) {
            throw new ApiException(ApiError.UNSUPPORTED_PARAMETER, "only response_format type text is supported",
                    "response_format");
        }
        String maxField = body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        GenerationParams params = params(body, ChatTemplate.STOPS, maxField);
        String prompt = ChatTemplate.render(messages);
        checkPromptLength(prompt, "messages");
        return new InferenceCall(true, model, prompt, bool(body, "stream", false), includeUsage(body), params);
    }

    private ChatMessage message(JsonNode m, String path) {
        if (m == null || !m.isObject()) {
            throw ApiException.badParam(path, path + " must be an object");
        }
        String role = m.path("role").asText("");
        if (!ChatTemplate.ROLES.contains(role)) {
            throw ApiException.badParam(path + ".role", path + ".role must be one of system, developer, user, "
                    + "assistant");
        }
        JsonNode c = m.get("content");
        String content;
        if (c != null && c.isTextual()) {
            content = c.asText();
        } else if (c != null && c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw new ApiException(ApiError.UNSUPPORTED_PARAMETER,
                            "only text content parts are supported", path + ".content");
                }
                sb.append(part.get("text").asText());
            }
            content = sb.toString();
        } else {
            throw ApiException.badParam(path + ".content", path + ".content must be a string or text parts");
        }
        return new ChatMessage(role, content);
    }

    private GenerationParams params(JsonNode body, List<String> implicitStops) {
        return params(body, implicitStops, "max_tokens");
    }

    private GenerationParams params(JsonNode body, List<String> implicitStops, String maxField) {
        int maxTokens = config.defaultMaxTokens();
        JsonNode mt = body.get(maxField);
        if (mt != null && !mt.isNull()) {
            if (!mt.isIntegralNumber() || mt.asLong() < 1 || mt.asLong() > config.maxTokensLimit()) {
                throw ApiException.badParam(maxField, maxField + " must be an integer from 1 to "
                        + config.maxTokensLimit());
            }
            maxTokens = mt.asInt();
        }
        float temperature = number(body, "temperature", 1.0, 0.0, 2.0, true);
        float topP = number(body, "top_p", 1.0, 0.0, 1.0, false);
        Long seed = null;
        JsonNode s = body.get("seed");
        if (s != null && !s.isNull()) {
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                throw ApiException.badParam("seed", "seed must be an integer");
            }
            seed = s.asLong();
        }
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && !(n.isIntegralNumber() && n.asInt() == 1)) {
            throw new ApiException(ApiError.UNSUPPORTED_PARAMETER, "only n = 1 is supported", "n");
        }
        JsonNode bestOf = body.get("best_of");
        if (bestOf != null && !bestOf.isNull() && !(bestOf.isIntegralNumber() && bestOf.asInt() == 1)) {
            throw new ApiException(ApiError.UNSUPPORTED_PARAMETER, "only best_of = 1 is supported", "best_of");
        }
        for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
            JsonNode v = body.get(penalty);
            if (v != null && !v.isNull() && !(v.isNumber() && v.asDouble() == 0.0)) {
                throw new ApiException(ApiError.UNSUPPORTED_PARAMETER, penalty + " is not supported", penalty);
            }
        }
        if (body.hasNonNull("logit_bias") && !body.get("logit_bias").isEmpty()) {
            throw new ApiException(ApiError.UNSUPPORTED_PARAMETER, "logit_bias is not supported", "logit_bias");
        }
        List<String> stops = new ArrayList<>(stops(body));
        implicitStops.forEach(st -> {
            if (!stops.contains(st)) {
                stops.add(st);
            }
        });
        return new GenerationParams(maxTokens, temperature, topP, seed, List.copyOf(stops));
    }

    private List<String> stops(JsonNode body) {
        JsonNode st = body.get("stop");
        if (st == null || st.isNull()) {
            return List.of();
        }
        List<String> stops = new ArrayList<>();
        if (st.isTextual()) {
            stops.add(st.asText());
        } else if (st.isArray() && st.size() <= MAX_STOPS) {
            for (JsonNode e : st) {
                if (!e.isTextual()) {
                    throw ApiException.badParam("stop", "stop must be a string or an array of strings");
                }
                stops.add(e.asText());
            }
        } else {
            throw ApiException.badParam("stop", "stop must be a string or an array of at most " + MAX_STOPS
                    + " strings");
        }
        if (stops.stream().anyMatch(String::isEmpty)) {
            throw ApiException.badParam("stop", "stop strings must not be empty");
        }
        return stops;
    }

    private static float number(JsonNode body, String field, double dflt, double min, double max,
                                boolean minInclusive) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return (float) dflt;
        }
        double d = v.isNumber() ? v.asDouble() : Double.NaN;
        boolean aboveMin = minInclusive ? d >= min : d > min;
        if (Double.isNaN(d) || !aboveMin || d > max) {
            throw ApiException.badParam(field, field + " must be a number in " + (minInclusive ? "[" : "(") + min
                    + ", " + max + "]");
        }
        return (float) d;
    }

    private static String model(JsonNode body) {
        JsonNode m = body.get("model");
        if (m == null || !m.isTextual() || m.asText().isBlank()) {
            throw ApiException.badParam("model", "model is required (a base model or adapter name; see GET /v1/models)");
        }
        return m.asText().trim();
    }

    private static boolean bool(JsonNode body, String field, boolean dflt) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw ApiException.badParam(field, field + " must be a boolean");
        }
        return v.asBoolean();
    }

    private static boolean includeUsage(JsonNode body) {
        JsonNode o = body.get("stream_options");
        return o != null && o.path("include_usage").asBoolean(false);
    }

    private static void refuseLogprobs(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !(v.isIntegralNumber() && v.asInt() == 0)) {
            throw new ApiException(ApiError.UNSUPPORTED_PARAMETER, field + " is not supported", field);
        }
    }

    private void checkPromptLength(String prompt, String field) {
        if (prompt.length() > config.maxPromptChars()) {
            throw ApiException.badParam(field, "the prompt is longer than " + config.maxPromptChars()
                    + " characters");
        }
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiException(ApiError.INVALID_REQUEST, "the request body must be a JSON object");
        }
    }
}
