package dev.adapterhub.engine.tools.cli;

import dev.adapterhub.engine.tools.gpu.GpuReport;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code gpu-report}: the GPU run's results table from the files its steps wrote (see {@link GpuReport}). */
final class GpuReportCommand {

    private GpuReportCommand() {
    }

    static void run(CliOptions o) throws Exception {
        Path dir = o.path("dir");
        o.requireAllUsed();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--dir " + dir + " is not a directory");
        }
        GpuReport.write(dir);
        System.out.print(Files.readString(dir.resolve("results.md")));
    }
}
