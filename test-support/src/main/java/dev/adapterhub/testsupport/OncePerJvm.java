package dev.adapterhub.testsupport;

import java.util.function.Supplier;

/**
 * One running thing (backends, a registry stack) shared by every test class of a JVM: started on first use,
 * stopped by the test resource's {@code stop()} or, failing that, by a shutdown hook, because PostgreSQL and the
 * registry are separate processes that must not outlive the tests.
 */
final class OncePerJvm<T extends AutoCloseable> {

    private final String name;
    private final String howToDeclare;
    private T running;
    private boolean shutdownHookAdded;

    /**
     * @param name what runs, for messages and the hook's thread name
     * @param howToDeclare the annotation a test class needs, quoted when {@link #current()} finds nothing running
     */
    OncePerJvm(String name, String howToDeclare) {
        this.name = name;
        this.howToDeclare = howToDeclare;
    }

    synchronized T startOnce(Supplier<T> start) {
        if (running == null) {
            LocalStackPorts.occupy();
            EmbeddedServerLogs.quiet();
            running = start.get();
            if (!shutdownHookAdded) {
                Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "adapterhub-" + name + "-shutdown"));
                shutdownHookAdded = true;
            }
        }
        return running;
    }

    synchronized T current() {
        if (running == null) {
            throw new IllegalStateException("The " + name + " is not running: declare " + howToDeclare
                    + " on the test class");
        }
        return running;
    }

    synchronized void stop() {
        if (running == null) {
            return;
        }
        try {
            running.close();
        } catch (Exception e) {
            throw new IllegalStateException("Stopping the " + name + " failed", e);
        } finally {
            running = null;
        }
    }
}
