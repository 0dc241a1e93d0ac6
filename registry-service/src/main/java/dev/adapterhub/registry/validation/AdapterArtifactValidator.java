package dev.adapterhub.registry.validation;

import dev.adapterhub.formats.FormatException;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.peft.PeftAdapterFiles;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftType;
import dev.adapterhub.formats.safetensors.SafetensorsHeader;
import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.ArtifactValidationException;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Validates an uploaded adapter version against its adapter's method and base model. All format rules (config
 * parses, header well-formed, tensor names / dtypes / shapes, rank and SHiRA K, target modules exist, SHiRA index
 * ranges, finite values, no pickle) come from the formats module; this class adds the registry's own rules: the
 * exact file set, a tighter header bound, file sizes, and peft_type matching the adapter's method.
 */
@ApplicationScoped
public class AdapterArtifactValidator {

    private final RegistryConfig config;

    public AdapterArtifactValidator(RegistryConfig config) {
        this.config = config;
    }

    /** Returns the parsed config of a valid adapter; throws {@link ArtifactValidationException} listing every violation. */
    public PeftConfig validate(Map<String, Path> files, PeftType expectedPeftType, String methodName,
                               LinearModules base) {
        List<String> violations = new ArrayList<>(PeftAdapterFiles.checkFileNames(files.keySet()));
        for (String name : files.keySet()) {
            if (!PeftAdapterFiles.isPickle(name) && !name.equals(PeftAdapterFiles.ADAPTER_CONFIG)
                    && !name.equals(PeftAdapterFiles.ADAPTER_WEIGHTS)) {
                violations.add("unexpected file \"" + name + "\"; a version holds exactly "
                        + PeftAdapterFiles.ADAPTER_CONFIG + " and " + PeftAdapterFiles.ADAPTER_WEIGHTS);
            }
        }
        fail(violations);

        Path configFile = files.get(PeftAdapterFiles.ADAPTER_CONFIG);
        Path weightsFile = files.get(PeftAdapterFiles.ADAPTER_WEIGHTS);
        PeftConfig peft;
        try {
            if (Files.size(configFile) > config.limits().maxJsonFileBytes()) {
                fail(List.of(PeftAdapterFiles.ADAPTER_CONFIG + " is larger than "
                        + config.limits().maxJsonFileBytes() + " bytes"));
            }
            try (InputStream in = Files.newInputStream(weightsFile)) {
                SafetensorsHeader.read(in, Files.size(weightsFile), config.limits().maxSafetensorsHeaderBytes());
            }
            peft = PeftConfig.read(configFile);
        } catch (FormatException e) {
            throw new ArtifactValidationException("The adapter files are invalid", List.of(e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (peft.peftType() != expectedPeftType) {
            violations.add("adapter method " + methodName + " requires peft_type " + expectedPeftType
                    + " but " + PeftAdapterFiles.ADAPTER_CONFIG + " declares " + peft.peftType());
        }
        violations.addAll(validateAsDirectory(files, base));
        fail(violations);
        return peft;
    }

    /** The formats module validates a directory; link the uploads into one under their PEFT names. */
    private static List<String> validateAsDirectory(Map<String, Path> files, LinearModules base) {
        Path directory = null;
        try {
            directory = Files.createTempDirectory("adapter-");
            for (Map.Entry<String, Path> file : files.entrySet()) {
                Files.createSymbolicLink(directory.resolve(file.getKey()), file.getValue().toAbsolutePath());
            }
            return PeftAdapterFiles.validateDirectory(directory, base);
        } catch (FormatException e) {
            return List.of(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(directory);
        }
    }

    private static void fail(List<String> violations) {
        if (!violations.isEmpty()) {
            throw new ArtifactValidationException("The adapter files are invalid", violations);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // only symlinks in a temp directory
        }
    }
}
