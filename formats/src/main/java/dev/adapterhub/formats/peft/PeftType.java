package dev.adapterhub.formats.peft;

/** The PEFT methods this platform stores and serves, spelled as PEFT's {@code peft_type}. */
public enum PeftType {
    LORA,
    SHIRA;

    /**
     * Parses a {@code peft_type} value.
     *
     * @throws InvalidAdapterException for any other PEFT method
     */
    public static PeftType parse(String s) {
        for (PeftType t : values()) {
            if (t.name().equals(s)) {
                return t;
            }
        }
        throw new InvalidAdapterException("adapter_config.json: peft_type \"" + s
                + "\" is not supported; supported: LORA, SHIRA");
    }
}
