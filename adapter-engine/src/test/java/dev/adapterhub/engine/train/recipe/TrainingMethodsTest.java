package dev.adapterhub.engine.train.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adapterhub.engine.method.lora.LoraMethod;
import dev.adapterhub.engine.method.lora.LoraSettings;
import dev.adapterhub.engine.method.loraga.LoraGaMethod;
import dev.adapterhub.engine.method.lorasb.LoraSbMethod;
import dev.adapterhub.engine.method.shira.ShiraMaskType;
import dev.adapterhub.engine.method.shira.ShiraMethod;
import dev.adapterhub.engine.train.TrainingMethod;
import dev.adapterhub.engine.train.recipe.MethodSpec.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The method factory and the CLI's defaults; no tensors involved. */
class TrainingMethodsTest {

    private static final List<String> ALL = LoraSettings.ALL_PROJECTIONS;

    @Test
    void loraDefaultsUsePlainScaling() {
        TrainingMethod m = TrainingMethods.create(MethodSpec.defaults(Method.LORA, 8, 16f));
        assertEquals(new LoraSettings(8, 16f, false, ALL), assertInstanceOf(LoraMethod.class, m).settings());
    }

    @Test
    void loraGaDefaultsUseRsLora() {
        TrainingMethod m = TrainingMethods.create(MethodSpec.defaults(Method.LORA_GA, 8, 16f));
        assertEquals(new LoraSettings(8, 16f, true, ALL), assertInstanceOf(LoraGaMethod.class, m).settings());
    }

    @Test
    void loraSbDefaultsUseAlphaEqualToRank() {
        TrainingMethod m = TrainingMethods.create(MethodSpec.defaults(Method.LORA_SB, 8, 16f));
        assertEquals(new LoraSettings(8, 8f, false, ALL), assertInstanceOf(LoraSbMethod.class, m).settings());
    }

    @Test
    void shiraDefaultsUseSnipOnAllProjections() {
        ShiraMethod m = assertInstanceOf(ShiraMethod.class,
                TrainingMethods.create(MethodSpec.defaults(Method.SHIRA, 8, 16f)));
        assertEquals(8, m.rank());
        assertEquals(ShiraMaskType.SNIP, m.maskType());
        assertEquals(ALL, m.targetModules());
    }

    @Test
    void aFullSpecIsTakenAsItIs() {
        List<String> targets = List.of("q_proj", "v_proj");
        assertEquals(new LoraSettings(4, 32f, false, targets), assertInstanceOf(LoraGaMethod.class,
                TrainingMethods.create(MethodSpec.lora(Method.LORA_GA, 4, 32f, false, targets))).settings());
        assertEquals(new LoraSettings(4, 2f, true, targets), assertInstanceOf(LoraSbMethod.class,
                TrainingMethods.create(MethodSpec.lora(Method.LORA_SB, 4, 2f, true, targets))).settings());
        assertEquals(new LoraSettings(4, 2f, true, targets), assertInstanceOf(LoraMethod.class,
                TrainingMethods.create(MethodSpec.lora(Method.LORA, 4, 2f, true, targets))).settings());
        ShiraMethod shira = assertInstanceOf(ShiraMethod.class,
                TrainingMethods.create(MethodSpec.shira(2, ShiraMaskType.RANDOM, targets)));
        assertEquals(2, shira.rank());
        assertEquals(ShiraMaskType.RANDOM, shira.maskType());
        assertEquals(targets, shira.targetModules());
    }

    @Test
    void rsLoraCanBeSwitchedOff() {
        MethodSpec spec = MethodSpec.defaults(Method.LORA_GA, 8, 16f).withRsLora(false);
        assertEquals(new LoraSettings(8, 16f, false, ALL),
                assertInstanceOf(LoraGaMethod.class, TrainingMethods.create(spec)).settings());
    }

    @Test
    void methodNamesParseCaseInsensitively() {
        assertEquals(Method.LORA, Method.parse("LORA"));
        assertEquals(Method.LORA_GA, Method.parse("lora_ga"));
        assertEquals(Method.LORA_SB, Method.parse("Lora_Sb"));
        assertEquals(Method.SHIRA, Method.parse("shira"));
    }

    @Test
    void anUnknownMethodNameIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Method.parse("DORA"));
        assertTrue(e.getMessage().contains("DORA"), e.getMessage());
        assertTrue(e.getMessage().contains("LORA, LORA_GA, LORA_SB, SHIRA"), e.getMessage());
    }

    @Test
    void incompleteSpecsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.shira(4, null, ALL));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.lora(Method.LORA, 4, 0f, false, ALL));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.lora(Method.SHIRA, 4, 8f, false, ALL));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.lora(Method.LORA, 0, 8f, false, ALL));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.lora(Method.LORA, 4, 8f, false, List.of()));
    }
}
