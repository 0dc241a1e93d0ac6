package dev.adapterhub.adapterctl;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A progress line on stderr: redrawn in place on a terminal, printed at most every few seconds otherwise (a CI log
 * keeps each line). Never on stdout, which is the command's answer.
 */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean terminal;
    private long lastPrinted;
    private String lastLine = "";

    ProgressBar(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static ProgressBar forConsole(PrintStream err) {
        return new ProgressBar(err, System.console() != null);
    }

    /** Shows {@code fraction} (0..1) with a label and what follows (ETA, loss, ...). */
    void show(String label, double fraction, String detail) {
        double clamped = Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(clamped * WIDTH);
        String line = String.format("%s [%s%s] %5.1f%%%s", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                clamped * 100, detail == null || detail.isBlank() ? "" : "  " + detail);
        long now = System.nanoTime();
        if (terminal) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
            err.flush();
        } else if (!line.equals(lastLine) && (now - lastPrinted > Duration.ofSeconds(5).toNanos() || clamped >= 1)) {
            err.println(line);
            lastPrinted = now;
        }
        lastLine = line;
    }

    void done() {
        if (terminal && !lastLine.isEmpty()) {
            err.println();
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
