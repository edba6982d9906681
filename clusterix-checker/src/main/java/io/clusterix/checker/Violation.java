package io.clusterix.checker;

import java.util.List;

/**
 * One violated invariant, with the recorded events that show it.
 *
 * @param invariant which
 * @param message   what is wrong, in one sentence
 * @param events    the events involved, described with times relative to the run's start
 */
public record Violation(Invariant invariant, String message, List<String> events) {
    /** Copies the list. */
    public Violation {
        events = List.copyOf(events);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(invariant + ": " + message);
        for (String event : events) {
            out.append("\n    ").append(event);
        }
        return out.toString();
    }
}
