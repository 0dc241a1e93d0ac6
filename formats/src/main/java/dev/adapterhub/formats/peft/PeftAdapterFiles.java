package dev.adapterhub.formats.peft;

import dev.adapterhub.formats.FormatException;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.safetensors.InvalidSafetensorsException;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of a HF PEFT adapter directory: {@code adapter_config.json} + {@code adapter_model.safetensors}.
 * Pickle files ({@code adapter_model.bin} and any {@code .bin/.pt/.pth/.pkl/.pickle/.ckpt}) are rejected by name:
 * unpickling runs arbitrary code, so they are never opened. Other files (README.md, tokenizer files) are
 * tolerated and ignored.
 */
public final class PeftAdapterFiles {

    public static final String ADAPTER_CONFIG = PeftConfig.FILE_NAME;
    public static final String ADAPTER_WEIGHTS = "adapter_model.safetensors";
    /** The pickle weights file PEFT writes with {@code safe_serialization=False}. */
    public static final String PICKLE_WEIGHTS = "adapter_model.bin";

    private static final List<String> PICKLE_EXTENSIONS = List.of(".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt");

    private PeftAdapterFiles() {
    }

    /** True if the file name (any directory part ignored) denotes a pickle file. */
    public static boolean isPickle(String fileName) {
        String lower = baseName(fileName).toLowerCase(Locale.ROOT);
        return PICKLE_EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /** The user-facing sentence for a pickle file. */
    public static String pickleMessage(String fileName) {
        String name = baseName(fileName);
        return "\"" + name + "\" is a pickle file; pickled weights are never loaded because unpickling can run "
                + "arbitrary code: save the adapter with safe_serialization=True and upload " + ADAPTER_WEIGHTS;
    }

    /**
     * Throws if {@code fileName} is a pickle file.
     *
     * @throws InvalidAdapterException with {@link #pickleMessage(String)}
     */
    public static void rejectPickle(String fileName) {
        if (isPickle(fileName)) {
            throw new InvalidAdapterException(pickleMessage(fileName));
        }
    }

    /**
     * Checks the file names of an upload or directory: both required files present, no pickle file.
     *
     * @return every problem; empty if fine
     */
    public static List<String> checkFileNames(Collection<String> fileNames) {
        List<String> problems = new ArrayList<>();
        boolean config = false;
        boolean weights = false;
        for (String f : fileNames) {
            String name = baseName(f);
            if (isPickle(name)) {
                problems.add(pickleMessage(name));
            }
            config |= name.equals(ADAPTER_CONFIG);
            weights |= name.equals(ADAPTER_WEIGHTS);
        }
        if (!config) {
            problems.add("missing " + ADAPTER_CONFIG);
        }
        if (!weights) {
            problems.add("missing " + ADAPTER_WEIGHTS);
        }
        return problems;
    }

    /**
     * The weights file of an adapter directory.
     *
     * @throws InvalidAdapterException if it is missing (naming the pickle file if that is what exists)
     */
    public static Path weightsFile(Path directory) {
        Path weights = directory.resolve(ADAPTER_WEIGHTS);
        if (Files.isRegularFile(weights)) {
            return weights;
        }
        if (Files.exists(directory.resolve(PICKLE_WEIGHTS))) {
            throw new InvalidAdapterException(pickleMessage(PICKLE_WEIGHTS));
        }
        throw new InvalidAdapterException("missing " + ADAPTER_WEIGHTS);
    }

    /**
     * Runs every check on an adapter directory: file names, config, header against the base, SHiRA index
     * ranges and finite values. Malformed files become problems rather than exceptions.
     *
     * @return every problem found; empty if the adapter is valid for {@code base}
     */
    public static List<String> validateDirectory(Path directory, LinearModules base) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(directory)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        List<String> problems = new ArrayList<>(checkFileNames(names));
        if (!problems.isEmpty()) {
            return problems;
        }
        try {
            PeftConfig config = PeftConfig.read(directory.resolve(ADAPTER_CONFIG));
            try (SafetensorsReader reader = SafetensorsReader.open(directory.resolve(ADAPTER_WEIGHTS))) {
                problems.addAll(AdapterValidator.validate(config, reader.header(), base));
                if (problems.isEmpty()) {
                    problems.addAll(AdapterValidator.validateShiraIndices(reader, config, base));
                    problems.addAll(AdapterValidator.validateFiniteValues(reader));
                }
            }
        } catch (InvalidSafetensorsException e) {
            problems.add(ADAPTER_WEIGHTS + ": " + e.getMessage());
        } catch (FormatException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /**
     * Writes an adapter directory: {@code adapter_config.json} and {@code adapter_model.safetensors} (the
     * latter atomically). The directory is created if needed.
     */
    public static void write(Path directory, PeftConfig config, Map<String, Tensor> tensors) throws IOException {
        Files.createDirectories(directory);
        SafetensorsWriter.write(directory.resolve(ADAPTER_WEIGHTS), tensors);
        config.writeTo(directory);
    }

    private static String baseName(String fileName) {
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        return fileName.substring(slash + 1);
    }
}
