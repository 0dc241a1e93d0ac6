package dev.adapterhub.registry.client;

/**
 * Base of every failure of a registry call. Subclasses say what a caller may do about it:
 * {@link RegistryUnavailableException} (try again later) or {@link RegistryRejectedException} (the registry refused
 * this request; repeating it unchanged will not help).
 */
public class RegistryException extends RuntimeException {

    private final int status;
    private final Problem problem;

    public RegistryException(String message, int status, Problem problem, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.problem = problem;
    }

    /** The HTTP status of the answer; 0 when there was none (transport failure). */
    public int status() {
        return status;
    }

    /** The answer's problem details; null when there was no answer or it was not problem+json. */
    public Problem problem() {
        return problem;
    }

    /** The problem's {@code type} URI, or null. */
    public String problemType() {
        return problem == null ? null : problem.type();
    }
}
