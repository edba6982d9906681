package io.clusterix.internal;

import java.net.InetAddress;

/**
 * The default node id, as in the Node original: host name + ":" + the {@code PORT} environment variable, or host name
 * + ":" + process id when {@code PORT} is unset. Looked up only for a builder that was given no node id: the host name
 * may need a DNS lookup.
 */
public final class DefaultNodeId {
    private DefaultNodeId() {
    }

    /** @return the default node id of this process */
    public static String get() {
        String port = System.getenv("PORT");
        String suffix = port != null && !port.isBlank() ? port.trim() : Long.toString(ProcessHandle.current().pid());
        return hostName() + ":" + suffix;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
