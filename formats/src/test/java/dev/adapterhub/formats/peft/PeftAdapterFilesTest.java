package dev.adapterhub.formats.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adapterhub.formats.safetensors.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeftAdapterFilesTest {

    @Test
    void pickleFileNamesAreRejected() {
        List<String> problems = PeftAdapterFiles.checkFileNames(List.of("adapter_config.json", "adapter_model.bin"));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("\"adapter_model.bin\" is a pickle file"), problems.get(0));
        assertTrue(problems.get(0).contains("never loaded"), problems.get(0));
        assertTrue(problems.get(1).contains("missing adapter_model.safetensors"), problems.get(1));
        assertTrue(PeftAdapterFiles.isPickle("checkpoint/training_args.bin"));
        assertTrue(PeftAdapterFiles.isPickle("weights.PT"));
        assertTrue(!PeftAdapterFiles.isPickle("adapter_model.safetensors"));
        String msg = assertThrows(InvalidAdapterException.class,
                () -> PeftAdapterFiles.rejectPickle("adapter_model.bin")).getMessage();
        assertTrue(msg.contains("pickle") && msg.contains("never loaded"), msg);
        assertEquals(List.of(), PeftAdapterFiles.checkFileNames(
                List.of("adapter_config.json", "adapter_model.safetensors", "README.md")));
    }

    @Test
    void directoryValidation(@TempDir Path dir) throws Exception {
        PeftConfig c = AdapterValidatorTest.LORA;
        PeftAdapterFiles.write(dir, c, Fixtures.lora(c, DType.BF16));
        assertEquals(List.of(), PeftAdapterFiles.validateDirectory(dir, Fixtures.BASE));
        assertEquals(dir.resolve(PeftAdapterFiles.ADAPTER_WEIGHTS), PeftAdapterFiles.weightsFile(dir));

        Files.writeString(dir.resolve(PeftAdapterFiles.ADAPTER_CONFIG), "{\"peft_type\": \"LORA\"");
        List<String> problems = PeftAdapterFiles.validateDirectory(dir, Fixtures.BASE);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("adapter_config.json is not valid JSON"), problems.get(0));

        c.writeTo(dir);
        Files.write(dir.resolve(PeftAdapterFiles.ADAPTER_WEIGHTS), new byte[] {1, 2, 3});
        problems = PeftAdapterFiles.validateDirectory(dir, Fixtures.BASE);
        assertTrue(problems.get(0).startsWith("adapter_model.safetensors: file is too short"), problems.toString());

        Files.delete(dir.resolve(PeftAdapterFiles.ADAPTER_WEIGHTS));
        Files.write(dir.resolve(PeftAdapterFiles.PICKLE_WEIGHTS), new byte[] {(byte) 0x80, 2});
        String msg = assertThrows(InvalidAdapterException.class, () -> PeftAdapterFiles.weightsFile(dir)).getMessage();
        assertTrue(msg.contains("pickle"), msg);
        problems = PeftAdapterFiles.validateDirectory(dir, Fixtures.BASE);
        assertTrue(problems.get(0).contains("\"adapter_model.bin\" is a pickle file"), problems.toString());
    }
}
