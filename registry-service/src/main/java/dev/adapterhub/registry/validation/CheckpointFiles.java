package dev.adapterhub.registry.validation;

/** Rules about which files a base model checkpoint may contain. */
public final class CheckpointFiles {

    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String SINGLE_WEIGHTS = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private CheckpointFiles() {
    }

    /** Pickle-based formats: executing code on load, so never accepted anywhere in the registry. */
    public static boolean isPickle(String fileName) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".bin") || lower.endsWith(".pt") || lower.endsWith(".pth")
                || lower.endsWith(".pkl") || lower.endsWith(".pickle") || lower.endsWith(".ckpt");
    }

    /** Side files of a HF checkpoint that are stored as-is (tokenizer configs, generation config, docs). */
    public static boolean isAllowedSideFile(String fileName) {
        return fileName.endsWith(".json") || fileName.endsWith(".txt") || fileName.endsWith(".md")
                || fileName.equals("tokenizer.model");
    }
}
