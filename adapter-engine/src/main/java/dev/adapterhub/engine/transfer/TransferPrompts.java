package dev.adapterhub.engine.transfer;

import java.util.List;

/** The two prompts of Trans-LoRA, exactly as the paper gives them. */
public final class TransferPrompts {

    /** The header of the generation prompt; the shipped bases' corpus uses the same one. */
    public static final String GENERATION_HEADER = "Here are 10 examples:\n\n";
    /** The discriminator's answer for a real task input. */
    public static final String YES = "yes";
    /** The discriminator's answer for a generated one. */
    public static final String NO = "no";

    private TransferPrompts() {
    }

    /** "Here are 10 examples:\n\n1. <seed 1>\n…\n5. <seed 5>\n6." for five seeds. */
    public static String generation(List<String> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("the generation prompt needs at least one seed");
        }
        StringBuilder sb = new StringBuilder(GENERATION_HEADER);
        for (int i = 0; i < seeds.size(); i++) {
            sb.append(i + 1).append(". ").append(seeds.get(i)).append('\n');
        }
        return sb.append(seeds.size() + 1).append('.').toString();
    }

    /** "<x>\nIs the above question from <NAME> dataset?", answered by {@link #YES} or {@link #NO}. */
    public static String discriminator(String input, String taskName) {
        return input + "\nIs the above question from " + taskName + " dataset?";
    }
}
