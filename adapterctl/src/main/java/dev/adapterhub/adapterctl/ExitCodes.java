package dev.adapterhub.adapterctl;

import dev.adapterhub.registry.client.RegistryConflictException;
import dev.adapterhub.registry.client.RegistryException;
import dev.adapterhub.registry.client.RegistryNotFoundException;
import dev.adapterhub.registry.client.RegistryUnavailableException;

/**
 * The exit codes, stable across releases (README): scripts branch on them. 0 is success and, for the waiting
 * commands, a job that SUCCEEDED.
 */
public final class ExitCodes {

    public static final int OK = 0;
    /** Anything unexpected. */
    public static final int ERROR = 1;
    /** The command line itself is wrong (unknown option, missing argument). */
    public static final int USAGE = 2;
    /** A waited-for job ended FAILED. */
    public static final int JOB_FAILED = 3;
    /** A waited-for job ended CANCELLED. */
    public static final int JOB_CANCELLED = 4;
    /** The registry says it does not exist (404). */
    public static final int NOT_FOUND = 5;
    /** The registry refused because of the current state (409): name taken, expected version differs, ... */
    public static final int CONFLICT = 6;
    /** No valid credential (401), or not allowed (403). */
    public static final int DENIED = 7;
    /** The registry could not be reached or answered 5xx. */
    public static final int UNAVAILABLE = 8;
    /** Another 4xx: the request was invalid (400, 422). */
    public static final int REJECTED = 9;
    /** {@code --timeout} passed before the job ended. */
    public static final int TIMEOUT = 10;
    /** A transfer ended SUCCEEDED but its gate asked for a review (its aliases did not move). */
    public static final int NEEDS_REVIEW = 11;

    private ExitCodes() {
    }

    static int of(RegistryException e) {
        if (e instanceof RegistryNotFoundException) {
            return NOT_FOUND;
        }
        if (e instanceof RegistryConflictException) {
            return CONFLICT;
        }
        if (e instanceof RegistryUnavailableException) {
            return UNAVAILABLE;
        }
        int status = e.status();
        if (status == 401 || status == 403) {
            return DENIED;
        }
        return status >= 500 ? UNAVAILABLE : status >= 400 ? REJECTED : ERROR;
    }
}
