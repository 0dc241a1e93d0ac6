package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import dev.adapterhub.formats.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Named NDArrays to and from safetensors (F32 and I64 only: what training state consists of). */
public final class ArrayFiles {

    private ArrayFiles() {
    }

    public static void write(Path file, Map<String, NDArray> arrays) throws IOException {
        Map<String, Tensor> tensors = new TreeMap<>();
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            NDArray a = e.getValue();
            long[] shape = a.getShape().getShape();
            if (a.getDataType() == DataType.INT64 || a.getDataType() == DataType.INT32) {
                tensors.put(e.getKey(), Tensor.ofLongs(e.getKey(), DType.I64, shape,
                        a.toType(DataType.INT64, false).toLongArray()));
            } else {
                tensors.put(e.getKey(), Tensor.ofFloats(e.getKey(), shape,
                        a.toType(DataType.FLOAT32, false).toFloatArray()));
            }
        }
        SafetensorsWriter.write(file, tensors);
    }

    /** Reads every tensor into {@code manager} (floating types as F32, integer types as I64). */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (Map.Entry<String, TensorInfo> e : reader.tensors().entrySet()) {
                TensorInfo info = e.getValue();
                Shape shape = new Shape(info.shape());
                if (info.dtype().isFloatingPoint()) {
                    out.put(e.getKey(), manager.create(reader.readFloats(e.getKey()), shape));
                } else {
                    out.put(e.getKey(), manager.create(reader.readLongs(e.getKey()), shape));
                }
            }
        }
        return out;
    }
}
