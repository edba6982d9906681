package io.clusterix.redisson;

import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import org.redisson.api.RedissonClient;

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
