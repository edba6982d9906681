package io.clusterix.cli;

/**
 * One result of {@code clusterix doctor}.
 *
 * @param level what it means for the exit status
 * @param check what was checked, e.g. "acl"
 * @param text  what was found, and what to do when something is wrong
 */
record Finding(Level level, String check, String text) {
    /** How serious a finding is. */
    enum Level {
        /** as clusterix needs it */
        OK,
        /** worth knowing (what a failover can lose, a clock off): does not fail the doctor */
        WARN,
        /** clusterix does not work, or not safely: the doctor exits 1 */
        FAIL
    }

    static Finding ok(String check, String text) {
        return new Finding(Level.OK, check, text);
    }

    static Finding warn(String check, String text) {
        return new Finding(Level.WARN, check, text);
    }

    static Finding fail(String check, String text) {
        return new Finding(Level.FAIL, check, text);
    }

    /** @return {@code [ OK ] check: text}, continuation lines indented */
    String line() {
        String tag = switch (level) {
            case OK -> "[ OK ]";
            case WARN -> "[WARN]";
            case FAIL -> "[FAIL]";
        };
        return tag + " " + check + ": " + text.replace("\n", "\n         ");
    }
}
