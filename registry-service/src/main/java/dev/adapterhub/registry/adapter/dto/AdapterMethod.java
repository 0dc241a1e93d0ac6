package dev.adapterhub.registry.adapter.dto;

import dev.adapterhub.formats.peft.PeftType;

/**
 * How an adapter is trained. LoRA-GA and LoRA-SB only change initialisation / the trained factor and are exported
 * as plain LoRA, so their files carry {@code peft_type: LORA}.
 */
public enum AdapterMethod {
    LORA(PeftType.LORA),
    LORA_GA(PeftType.LORA),
    LORA_SB(PeftType.LORA),
    SHIRA(PeftType.SHIRA);

    private final PeftType peftType;

    AdapterMethod(PeftType peftType) {
        this.peftType = peftType;
    }

    /** The {@code peft_type} every version of an adapter of this method must declare. */
    public PeftType peftType() {
        return peftType;
    }
}
