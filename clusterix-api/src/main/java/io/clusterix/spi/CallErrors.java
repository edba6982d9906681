package io.clusterix.spi;

import io.clusterix.ClusterKeys;
import io.clusterix.ClusterixException;

/**
 * The message of a failed store call: which call failed (operation, node, cluster's keys), why (the client's message
 * and, when it adds something, its root cause's, without a client's noise) and what to do.
 */
final class CallErrors {
    private CallErrors() {
    }

    /**
     * Turns a client's exception into one message that says which call failed (operation, node, cluster's keys),
     * why (the client's message and, when it adds something, its root cause's, without a client's noise) and what
     * to do. The client's exception stays the cause.
     */
    static ClusterixException translate(ClusterKeys keys, String call, Throwable error) {
        if (error instanceof ClusterixException explained) {
            // The backend said what went wrong and what to do (e.g. its queue is full): one message, the call named.
            return new ClusterixException(call + " failed: " + explained.getMessage(), explained.getCause());
        }
        String message = allMessages(error);
        String hint = hint(keys, error, message);
        int ours = message.indexOf("CLUSTERIX ");
        if (ours >= 0) {
            String text = message.substring(ours + "CLUSTERIX ".length());
            // Cut what Redis appends ("script: <sha>, on @user_script:26."), what a client appends (Redisson:
            // ". channel: ... command: (EVALSHA, cached script: ...") and the next chained message.
            for (String noise : new String[] {". channel: ", " script: ", " | "}) {
                int at = text.indexOf(noise);
                text = at > 0 ? text.substring(0, at) : text;
            }
            return new ClusterixException(call + " failed: " + text + (hint.isEmpty() ? "." : ". " + hint), error);
        }
        return new ClusterixException(call + " failed: " + reason(error) + ". " + (hint.isEmpty()
                ? "Check that Redis is reachable from this process and accepts commands from this client." : hint),
                error);
    }

    /**
     * The client's message, plus its root cause's when that says more (Lettuce: "Unable to connect to ...", caused
     * by "WRONGPASS ..."), and the client's exception type; without trailing periods, so that the sentence goes on.
     */
    private static String reason(Throwable error) {
        String top = clean(error.getMessage());
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String deepest = root == error ? "" : clean(root.getMessage());
        String text = top.isEmpty() ? deepest : !deepest.isEmpty() && !top.contains(deepest) ? top + ": " + deepest
                : top;
        return (text.isEmpty() ? "(no message)" : text) + " (" + error.getClass().getSimpleName() + ")";
    }

    /** Redisson appends the channel, the command and its arguments (the whole script on EVAL) to the message. */
    private static String clean(String message) {
        if (message == null) {
            return "";
        }
        int at = message.indexOf(". channel: ");
        String text = (at > 0 ? message.substring(0, at) : message).strip();
        while (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        return text;
    }

    private static String hint(ClusterKeys keys, Throwable error, String message) {
        if (message.contains("NOAUTH") || message.contains("WRONGPASS") || message.contains("invalid password")
                || message.contains("invalid username-password")) {
            return "Redis refused the credentials: configure the user and password on the Redis client you pass to"
                    + " clusterix.";
        }
        if (message.contains("NOPERM") || message.contains("no permissions")
                || message.contains("can't run this command")) {
            return "The Redis user lacks a permission clusterix needs (ACL): grant the commands and the key pattern ~"
                    + keys.hashTag().substring(0, 1) + keys.keyPrefix() + "* given in the README's ACL section.";
        }
        // Redis' own words ("OOM command not allowed when used memory > 'maxmemory'"; Redisson drops the "OOM"), not
        // "OOM" anywhere: a key name in the message may contain it.
        if (message.contains("command not allowed when used memory")) {
            return "Redis is out of memory (maxmemory): free memory or raise maxmemory.";
        }
        if (message.contains("READONLY")) {
            return "The client is connected to a read-only replica: point it at the master.";
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t.getClass().getSimpleName().contains("ConnectionException")) {
                return "Redis is not reachable: check that it runs at the address configured on the Redis client you"
                        + " pass to clusterix and that this process can reach it.";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return "";
    }

    private static String allMessages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null && all.length() < 4096; t = t.getCause()) {
            if (t.getMessage() != null) {
                all.append(t.getMessage()).append(" | ");
            }
        }
        return all.toString();
    }
}
