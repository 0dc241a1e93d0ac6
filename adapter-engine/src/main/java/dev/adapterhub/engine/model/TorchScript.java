package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Compiles TorchScript source held in Java into a loaded module. DJL has no API to compile source, but it loads
 * TorchScript archives, and an archive is a zip of the module's source ({@code code/__torch__.py}), its object
 * ({@code data.pkl}) and constants: this writes one whose module has no parameters, buffers or constants (just
 * the {@code training} flag every module has), so the pickles are a few fixed bytes written here and no weights
 * travel through them. Weights are passed to the module's methods as arguments.
 */
public final class TorchScript {

    private TorchScript() {
    }

    /**
     * Loads {@code source}, which must define {@code class <className>(Module)} with the usual serialized header
     * ({@code __parameters__ = []}, {@code __buffers__ = []}, {@code training : bool}), onto {@code manager}'s
     * device. A syntax or type error in the source surfaces here as DJL's {@code EngineException}.
     */
    public static PtSymbolBlock load(NDManager manager, String className, String source) {
        try {
            return JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive(className, source)),
                    true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code call} (a script call) with TorchScript's graph executor optimisations off on this thread, so the
     * interpreter runs the graph as written: no profiling runs, no autodiff subgraphs, no fusion groups whose
     * kernels a device's libtorch compiles at run time (NVRTC on CUDA) and may fail to. For the training step's
     * scripts, where what matters is the number of host calls, not fusion; the setting is thread-local and
     * restored to DJL's configured default ({@code ai.djl.pytorch.graph_optimizer}) afterwards.
     */
    public static <T> T unoptimized(Supplier<T> call) {
        JniUtils.setGraphExecutorOptimize(false);
        try {
            return call.get();
        } finally {
            JniUtils.setGraphExecutorOptimize(
                    Boolean.parseBoolean(System.getProperty("ai.djl.pytorch.graph_optimizer", "true")));
        }
    }

    /** The archive bytes (package-private for tests). */
    static byte[] archive(String className, String source) {
        if (!className.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a class name: " + className);
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            stored(z, "archive/data.pkl", moduleObject(className));
            stored(z, "archive/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(z, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            stored(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(z, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.toByteArray();
    }

    /** Pickle (protocol 2) of {@code __torch__.<className>} with state {@code {"training": False}}. */
    private static byte[] moduleObject(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO 2
        p.write(2);
        p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x89); // NEWFALSE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    /** Uncompressed entries, as torch writes them (its reader handles both; stored keeps loading trivial). */
    private static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }
}
