package dev.adapterhub.registry.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The single table from domain exceptions to HTTP problems. Lookup walks the exception's superclass chain, so a
 * new subclass inherits its parent's status unless it is listed here itself.
 */
public final class ProblemStatusMap {

    public static final ProblemType INTERNAL = new ProblemType(500, "internal-error", "Internal server error");

    private static final Map<Class<? extends Throwable>, ProblemType> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put(InvalidRequestException.class, new ProblemType(400, "invalid-request", "Invalid request"));
        TABLE.put(InvalidFieldsException.class, new ProblemType(400, "invalid-request", "Invalid request"));
        TABLE.put(LeaseLostException.class,
                new ProblemType(409, "lease-lost", "The worker no longer holds the job's lease"));
        TABLE.put(IdempotencyKeyReusedException.class,
                new ProblemType(422, "idempotency-key-reused", "Idempotency key reused with a different request"));
        TABLE.put(UnauthenticatedException.class,
                new ProblemType(401, "unauthenticated", "Authentication required"));
        TABLE.put(ForbiddenException.class, new ProblemType(403, "forbidden", "Not allowed"));
        TABLE.put(ResourceNotFoundException.class, new ProblemType(404, "not-found", "Resource not found"));
        TABLE.put(ConflictException.class, new ProblemType(409, "conflict", "Conflict with the current state"));
        TABLE.put(AlreadyExistsException.class, new ProblemType(409, "already-exists", "Resource already exists"));
        TABLE.put(ExpectationMismatchException.class,
                new ProblemType(409, "expectation-mismatch", "Expected state does not match"));
        TABLE.put(ArtifactValidationException.class,
                new ProblemType(422, "validation-failed", "Artifact validation failed"));
        TABLE.put(StorageUnavailableException.class,
                new ProblemType(503, "storage-unavailable", "Object storage unavailable"));
        TABLE.put(DatabaseUnavailableException.class,
                new ProblemType(503, "database-unavailable", "Database unavailable"));
        TABLE.put(NotConfiguredException.class,
                new ProblemType(503, "not-configured", "Not configured on this registry"));
        TABLE.put(RegistryException.class, INTERNAL);
    }

    private ProblemStatusMap() {
    }

    public static ProblemType lookup(Throwable exception) {
        for (Class<?> type = exception.getClass(); type != null; type = type.getSuperclass()) {
            ProblemType problemType = TABLE.get(type);
            if (problemType != null) {
                return problemType;
            }
        }
        return INTERNAL;
    }
}
