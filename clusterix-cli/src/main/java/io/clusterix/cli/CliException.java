package io.clusterix.cli;

/**
 * A failure the operator must act on: its message says what went wrong and what to do, and the command exits with
 * {@link #exitCode()}, without a stack trace.
 */
final class CliException extends RuntimeException {
    /** Exit status when Redis cannot be reached or refuses the credentials. */
    static final int UNREACHABLE = 3;
    /** Exit status of a command that ran but found a problem, or was refused. */
    static final int FAILED = 1;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    int exitCode() {
        return exitCode;
    }
}
