package dev.adapterhub.engine.tools.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.tools.gpu.DeviceChecks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code device-check}: the engine's device-placement suite on one device (see {@link DeviceChecks}). */
final class DeviceCheckCommand {

    private DeviceCheckCommand() {
    }

    /** @return true when every check passed */
    static boolean run(CliOptions o) throws Exception {
        String deviceName = o.text("device", "auto").toLowerCase(Locale.ROOT);
        List<String> checks = List.of(o.text("checks", String.join(",", DeviceChecks.ALL)).split(","));
        String outFile = o.text("out", null);
        Path out = outFile == null ? null : Path.of(outFile);
        o.requireAllUsed();
        Devices.configureOffline();
        Device device = switch (deviceName) {
            case "auto" -> Devices.preferred();
            case "cpu" -> Device.cpu();
            case "gpu" -> Device.gpu(0);
            default -> throw new IllegalArgumentException("--device must be auto, cpu or gpu, got " + deviceName);
        };
        Path work = Files.createTempDirectory("device-check");
        try {
            List<DeviceChecks.Result> results = DeviceChecks.run(device, checks, work, System.out);
            long passed = results.stream().filter(DeviceChecks.Result::passed).count();
            System.out.printf("device checks on %s: %d of %d passed%n", device, passed, results.size());
            if (out != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(),
                        Map.of("device", device.toString(), "results", results));
            }
            return passed == results.size();
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
