package io.clusterix.redisson;

import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import org.redisson.api.RedissonClient;
import org.redisson.api.RedissonReactiveClient;
import org.redisson.api.RedissonRxClient;

import java.util.Optional;

/**
 * Finds {@link RedissonHeartbeatStore} for {@link io.clusterix.Clusterix#builder(Object)}: accepts any
 * {@link RedissonClient}.
 */
public final class RedissonHeartbeatStoreProvider implements HeartbeatStoreProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public RedissonHeartbeatStoreProvider() {
    }

    /** @return {@code "redisson"} */
    @Override
    public String name() {
        return "redisson";
    }

    /** @return {@code "io.clusterix:clusterix-redisson"} */
    @Override
    public String artifact() {
        return "io.clusterix:clusterix-redisson";
    }

    /** @return {@code "Redisson (org.redisson:redisson)"} */
    @Override
    public String clientLibrary() {
        return "Redisson (org.redisson:redisson)";
    }

    /** The reactive and RxJava views of a client. */
    @Override
    public Optional<String> hint(Object client) {
        if (client instanceof RedissonReactiveClient || client instanceof RedissonRxClient) {
            return Optional.of("This is the reactive or RxJava view of a Redisson client: pass the RedissonClient"
                    + " it came from instead.");
        }
        return Optional.empty();
    }

    @Override
    public String supportedClients() {
        return RedissonClient.class.getName();
    }

    @Override
    public boolean supports(Object client) {
        return client instanceof RedissonClient;
    }

    @Override
    public HeartbeatStore create(Object client) {
        if (client instanceof RedissonClient redisson) {
            return new RedissonHeartbeatStore(redisson);
        }
        throw new IllegalArgumentException("The redisson clusterix backend does not support a client of class "
                + (client == null ? "null" : client.getClass().getName()) + "; it accepts " + supportedClients() + ".");
    }
}
