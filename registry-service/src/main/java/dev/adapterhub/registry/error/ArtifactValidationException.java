package dev.adapterhub.registry.error;

import java.util.List;

/**
 * Uploaded or referenced files were read but do not form a valid artifact (bad PEFT config, tensor shapes that
 * do not match the base model, pickle files, ...). Carries every violation found, not only the first.
 */
public class ArtifactValidationException extends RegistryException {

    private final List<String> violations;

    public ArtifactValidationException(String message, List<String> violations) {
        super(message);
        this.violations = List.copyOf(violations);
    }

    public ArtifactValidationException(String violation) {
        this(violation, List.of(violation));
    }

    public List<String> violations() {
        return violations;
    }
}
