package io.clusterix.tck;

import java.util.List;

/**
 * Raw Redis commands, as the TCK sends them to look at and tamper with Redis directly, independently of the backend
 * under test: to one server ({@link RespConnection}) or to whichever servers of a Sentinel or Cluster topology each
 * command belongs ({@link RoutingRespConnection}). Not thread-safe.
 */
public interface RespCommands extends AutoCloseable {

    /**
     * Sends one command and reads its reply.
     *
     * @param args the command and its arguments
     * @return a String (simple or bulk string), Long, null, or List of those
     * @throws RespConnection.RespError for an error reply
     */
    Object call(String... args);

    /**
     * @param args the command
     * @return the reply as a string (null for a nil reply)
     */
    default String string(String... args) {
        Object reply = call(args);
        return reply == null ? null : reply.toString();
    }

    /**
     * @param args the command
     * @return the integer reply
     */
    default long integer(String... args) {
        return (Long) call(args);
    }

    /**
     * @return Redis server time in milliseconds since the epoch
     */
    @SuppressWarnings("unchecked")
    default long serverTimeMillis() {
        List<Object> time = (List<Object>) call("TIME");
        return Long.parseLong((String) time.get(0)) * 1000 + Long.parseLong((String) time.get(1)) / 1000;
    }

    /** Closes every connection; never throws. */
    @Override
    void close();
}
