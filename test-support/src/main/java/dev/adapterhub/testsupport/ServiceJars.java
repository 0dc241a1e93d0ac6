package dev.adapterhub.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the runnable Quarkus application of a sibling module in the same checkout. */
public final class ServiceJars {

    private ServiceJars() {
    }

    /**
     * {@code <checkout>/<module>/target/quarkus-app/quarkus-run.jar}, where the checkout is the nearest directory
     * above the working directory (a module's directory under Maven) that contains {@code <module>/pom.xml}.
     *
     * @throws IllegalStateException with the command that builds it when the jar does not exist
     */
    public static Path runnerJar(String module) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve(module).resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("No module " + module + " above " + Path.of("").toAbsolutePath());
        }
        Path jar = dir.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            // The reactor builds (packages) the module first when the test module depends on it; a lone module
            // build does not.
            throw new IllegalStateException(jar + " does not exist: build it first with "
                    + "./mvnw -B install -DskipTests -pl " + module + " -am");
        }
        return jar;
    }
}
