package dev.adapterhub.registry.error;

/** One row of the exception-to-status table: the HTTP status, a stable type slug and a title. */
public record ProblemType(int status, String slug, String title) {

    public String typeUri() {
        return "urn:adapterhub:problem:" + slug;
    }
}
