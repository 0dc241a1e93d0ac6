package dev.adapterhub.gateway.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/** OpenAI's error envelope: {@code {"error": {"message", "type", "param", "code"}}} (param may be null). */
public record ErrorBody(Detail error) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Detail(String message, String type, String param, String code) {
    }

    public static ErrorBody of(ApiException e) {
        return new ErrorBody(new Detail(e.getMessage(), e.error().type(), e.param(), e.error().code()));
    }
}
