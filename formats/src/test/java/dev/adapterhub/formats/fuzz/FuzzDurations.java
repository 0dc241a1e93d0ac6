package dev.adapterhub.formats.fuzz;

/**
 * How long each parser is fuzzed: seconds in every build (the {@code fuzz} Surefire execution), minutes in the
 * run tagged {@value #LONG_TAG} (docs/reliability.md). Constants, because Jazzer reads them from annotations.
 */
final class FuzzDurations {

    static final String BUILD = "5s";
    static final String LONG = "3m";
    static final String LONG_TAG = "fuzz-long";

    private FuzzDurations() {
    }
}
