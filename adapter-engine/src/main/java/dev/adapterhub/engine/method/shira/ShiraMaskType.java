package dev.adapterhub.engine.method.shira;

/** How SHiRA picks the K trainable entries of each weight. */
public enum ShiraMaskType {
    /** K distinct positions uniformly at random (seeded). */
    RANDOM("random"),
    /** Top-K |W|. */
    WEIGHT_MAGNITUDE("weight_magnitude"),
    /** Top-K |G| of the mean calibration gradient. */
    GRADIENT("gradient"),
    /** Top-K |W ⊙ G| (connection sensitivity, the paper's best overall). */
    SNIP("snip");

    private final String peftName;

    ShiraMaskType(String peftName) {
        this.peftName = peftName;
    }

    /** The {@code mask_type} string written to adapter_config.json. */
    public String peftName() {
        return peftName;
    }

    public boolean needsGradient() {
        return this == GRADIENT || this == SNIP;
    }
}
