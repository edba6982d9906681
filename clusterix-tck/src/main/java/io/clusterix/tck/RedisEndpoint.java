package io.clusterix.tck;

import java.net.URI;
import java.util.Objects;

/**
 * Where a test Redis listens.
 *
 * @param host     host name or address, loopback for servers the fixture starts
 * @param port     TCP port
 * @param username ACL user name, or null for the default user
 * @param password password, or null for none
 */
public record RedisEndpoint(String host, int port, String username, String password) {

    /**
     * @throws NullPointerException if host is null
     */
    public RedisEndpoint {
        Objects.requireNonNull(host, "host");
    }

    /**
     * @param host host
     * @param port port
     * @return an endpoint without credentials
     */
    public static RedisEndpoint of(String host, int port) {
        return new RedisEndpoint(host, port, null, null);
    }

    /**
     * Parses {@code redis://[[user]:password@]host[:port]}.
     *
     * @param url the URL
     * @return the endpoint
     */
    public static RedisEndpoint parse(String url) {
        URI uri = URI.create(url.trim());
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("Not a redis://host:port URL: " + url);
        }
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            String info = uri.getUserInfo();
            int colon = info.indexOf(':');
            if (colon < 0) {
                password = info;
            } else {
                user = info.substring(0, colon).isEmpty() ? null : info.substring(0, colon);
                password = info.substring(colon + 1);
            }
        }
        return new RedisEndpoint(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379, user, password);
    }

    /**
     * @param user     ACL user
     * @param password its password
     * @return this endpoint with other credentials
     */
    public RedisEndpoint withCredentials(String user, String password) {
        return new RedisEndpoint(host, port, user, password);
    }

    /** @return {@code redis://[user:password@]host:port} */
    public String uri() {
        String auth = password == null ? "" : (username == null ? "" : username) + ":" + password + "@";
        return "redis://" + auth + host + ":" + port;
    }

    @Override
    public String toString() {
        return "redis://" + host + ":" + port + (username != null ? " (user " + username + ")" : "");
    }
}
