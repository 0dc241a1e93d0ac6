package dev.adapterhub.transfer.plan;

import java.util.List;

/**
 * A version to move: {@code adapter@version}, served under {@code aliases}.
 *
 * @param priority position of its first priority alias ({@code production} first), or the list's size
 */
record Candidate(String adapter, int version, List<String> aliases, int priority) {

    String reference() {
        return adapter + "@" + version;
    }
}
