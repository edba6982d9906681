package io.clusterix.cli;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;

/**
 * Turns a Redis client's exception into one sentence for the operator: what failed, where (never the password), and
 * what to do.
 */
final class Failures {
    private Failures() {
    }

    /**
     * @param where where the tool tried to connect
     * @param error the client's exception
     * @return the failure to report, exit status {@link CliException#UNREACHABLE}
     */
    static CliException connecting(String where, Throwable error) {
        String all = messages(error);
        if (refusedCredentials(all)) {
            return new CliException(CliException.UNREACHABLE, "Redis at " + where + " refused the credentials ("
                    + firstLine(all, "WRONGPASS", "NOAUTH", "invalid") + "). Check the user and password: --redis-url"
                    + " redis://USER:PASSWORD@host:port, --user, or the environment variable "
                    + ConnectionOptions.PASSWORD_ENV + ".", error);
        }
        if (all.contains("NOPERM")) {
            return new CliException(CliException.UNREACHABLE, "Redis at " + where + " accepted the user but it may"
                    + " not run what the client needs to connect (" + firstLine(all, "NOPERM") + "). Run `clusterix"
                    + " doctor` as an admin user to see the missing rights.", error);
        }
        return new CliException(CliException.UNREACHABLE, "Cannot reach Redis at " + where + ": " + root(error)
                + ". Check the address (--redis-url, --sentinel with --master, or --cluster) and that Redis runs"
                + " there and this host can reach it.", error);
    }

    /**
     * @param where what the tool was doing, e.g. "reading the members of {clusterix}"
     * @param error the client's exception, thrown after the connection was open
     * @return the failure to report
     */
    static CliException during(String where, RedisException error) {
        if (error instanceof RedisCommandTimeoutException) {
            return new CliException(CliException.UNREACHABLE, "Redis did not answer in time while " + where + ": "
                    + error.getMessage() + ". Is it overloaded or unreachable? Raise --command-timeout to wait longer.",
                    error);
        }
        String all = messages(error);
        if (all.contains("NOPERM")) {
            return new CliException(CliException.FAILED, "Redis refused a command while " + where + " ("
                    + firstLine(all, "NOPERM") + "): the user lacks that right. `clusterix doctor` lists what is"
                    + " missing.", error);
        }
        if (all.contains("WRONGTYPE")) {
            return new CliException(CliException.FAILED, "A key of the cluster holds another type while " + where
                    + " (" + firstLine(all, "WRONGTYPE") + "): another program uses it. `clusterix doctor` names it.",
                    error);
        }
        return new CliException(CliException.UNREACHABLE, "Redis failed while " + where + ": " + root(error)
                + ". Check that Redis runs and this host can reach it.", error);
    }

    static boolean refusedCredentials(String messages) {
        return messages.contains("WRONGPASS") || messages.contains("NOAUTH")
                || messages.contains("invalid username-password") || messages.contains("invalid password");
    }

    static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null && all.length() < 4096; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
            if (t.getCause() == t) {
                break;
            }
        }
        return all.toString();
    }

    private static String firstLine(String messages, String... words) {
        for (String line : messages.split("\n")) {
            for (String word : words) {
                int at = line.indexOf(word);
                if (at >= 0) {
                    String found = line.substring(at).strip();
                    return found.endsWith(".") ? found.substring(0, found.length() - 1) : found;
                }
            }
        }
        return messages.lines().findFirst().orElse("").strip();
    }

    private static String root(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return root == error || root.getMessage() == null || top.contains(root.getMessage()) ? top
                : top + " (" + root.getMessage() + ")";
    }
}
