package dev.adapterhub.engine.peft;

import dev.adapterhub.engine.method.lora.LoraPeft;
import dev.adapterhub.engine.method.shira.ShiraPeft;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftType;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A PEFT adapter directory put onto a model for inference, whatever its type: a LoRA attached unmerged, a
 * SHiRA fused into the weights. Closing takes it off again (SHiRA's originals restored bit-exactly), so a model
 * can serve as base, teacher and judge in turn.
 */
public final class AttachedAdapter implements AutoCloseable {

    private final LlamaModel model;
    private final String name;
    private final PeftType type;

    private AttachedAdapter(LlamaModel model, String name, PeftType type) {
        this.model = model;
        this.name = name;
        this.type = type;
    }

    /** Puts the adapter in {@code dir} onto {@code model} under {@code name}; it is active until closed. */
    public static AttachedAdapter attach(LlamaModel model, Path dir, String name) throws IOException {
        PeftType type = PeftConfig.read(dir).peftType();
        if (type == PeftType.SHIRA) {
            ShiraPeft.fuse(model, dir, name);
        } else {
            LoraPeft.apply(model, dir, name);
        }
        return new AttachedAdapter(model, name, type);
    }

    public PeftType type() {
        return type;
    }

    @Override
    public void close() {
        if (type == PeftType.SHIRA) {
            ShiraPeft.unfuse(model, name);
        } else {
            model.removeAdapter(name);
        }
    }
}
