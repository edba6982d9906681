package io.clusterix.chaos;

/**
 * One line a node process printed, stamped when the test read it.
 *
 * @param node  the process that printed it
 * @param nanos {@link System#nanoTime()} when the test read it
 * @param wall  {@link System#currentTimeMillis()} of the test JVM when it read it
 * @param text  the line, or null when the process's output ended
 */
record Line(NodeProcess node, long nanos, long wall, String text) {

    /** @return the first word: START, JOINED, DOWN, HANDLED, EVICTED, STATE, ERROR, NODES, ... or "" at the end */
    String type() {
        if (text == null) {
            return "";
        }
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    boolean is(String type) {
        return type().equals(type);
    }

    /** @return the words after the type */
    String[] args() {
        if (text == null) {
            return new String[0];
        }
        int space = text.indexOf(' ');
        return space < 0 ? new String[0] : text.substring(space + 1).split(" ");
    }

    /** @return this line as a node-down report, or null if it is not a DOWN line */
    Down down() {
        if (!is("DOWN")) {
            return null;
        }
        String[] a = args();
        return new Down(this, a[0], Long.parseLong(a[1]), a[2], Integer.parseInt(a[3]));
    }

    /**
     * A {@code DOWN nodeId incarnation reason delivery} line.
     *
     * @param line        the line
     * @param nodeId      the node reported down
     * @param incarnation its incarnation
     * @param reason      TIMED_OUT or LEFT
     * @param delivery    1, or more for a re-delivery
     */
    record Down(Line line, String nodeId, long incarnation, String reason, int delivery) {
        /** @return nodeId#incarnation, the death's identity */
        String key() {
            return nodeId + "#" + incarnation;
        }

        NodeProcess reporter() {
            return line.node();
        }
    }
}
