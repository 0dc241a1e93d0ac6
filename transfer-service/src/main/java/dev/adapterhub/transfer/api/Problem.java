package dev.adapterhub.transfer.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem, the body of every error answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
