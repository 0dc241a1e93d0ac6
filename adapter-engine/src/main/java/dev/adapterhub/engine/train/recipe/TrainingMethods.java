package dev.adapterhub.engine.train.recipe;

import dev.adapterhub.engine.method.lora.LoraMethod;
import dev.adapterhub.engine.method.loraga.LoraGaMethod;
import dev.adapterhub.engine.method.lorasb.LoraSbMethod;
import dev.adapterhub.engine.method.shira.ShiraMethod;
import dev.adapterhub.engine.train.TrainingMethod;

/** The one place that turns a method name and its settings into a {@link TrainingMethod}. */
public final class TrainingMethods {

    private TrainingMethods() {
    }

    /** A new, unprepared method; the caller closes it. */
    public static TrainingMethod create(MethodSpec spec) {
        return switch (spec.method()) {
            case LORA -> new LoraMethod(spec.loraSettings());
            case LORA_GA -> new LoraGaMethod(spec.loraSettings());
            case LORA_SB -> new LoraSbMethod(spec.loraSettings());
            case SHIRA -> new ShiraMethod(spec.rank(), spec.shiraMaskType(), spec.targetModules());
        };
    }
}
