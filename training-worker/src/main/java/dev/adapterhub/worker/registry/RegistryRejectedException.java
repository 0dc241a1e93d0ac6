package dev.adapterhub.worker.registry;

/** The registry refused a call with a 4xx problem; repeating it unchanged will not help. */
public class RegistryRejectedException extends RuntimeException {

    private final int status;
    private final String problemType;

    public RegistryRejectedException(int status, String problemType, String detail) {
        super("registry answered " + status + (problemType == null ? "" : " (" + problemType + ")") + ": " + detail);
        this.status = status;
        this.problemType = problemType;
    }

    public int status() {
        return status;
    }

    /** The problem's {@code type} URI, when the body was problem+json. */
    public String problemType() {
        return problemType;
    }

    /** 409 {@code lease-lost}: this worker no longer owns the attempt (expired, re-queued or cancelled). */
    public boolean isLeaseLost() {
        return status == 409 && problemType != null && problemType.endsWith(":lease-lost");
    }

    /** 409: another worker owns the job, the attempt is stale, the lease is gone or the job was cancelled. */
    public boolean isConflict() {
        return status == 409;
    }
}
