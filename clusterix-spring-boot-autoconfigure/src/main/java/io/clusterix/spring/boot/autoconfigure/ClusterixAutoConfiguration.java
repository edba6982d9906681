package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.Clusterix;
import io.lettuce.core.AbstractRedisClient;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of one {@link Clusterix} node from the application's existing Redis: a {@code RedissonClient}
 * bean, else the native Lettuce client of Spring Data Redis' {@code LettuceConnectionFactory} (standalone, Sentinel
 * or Cluster, as configured under {@code spring.data.redis.*}), else the Jedis client of its
 * {@code JedisConnectionFactory} (standalone, Sentinel or Cluster: {@link JedisClusterixClient}). The node joins
 * when the context starts and leaves when it stops ({@link ClusterixLifecycle}); its events are published as
 * application events ({@link ClusterixApplicationEvents}). Every bean backs off when the application defines one of
 * the same type.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.redisson.spring.starter.RedissonAutoConfigurationV2",
        "org.redisson.spring.starter.RedissonAutoConfigurationV4"})
@ConditionalOnClass(Clusterix.class)
@ConditionalOnProperty(prefix = "clusterix", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ClusterixProperties.class)
@Import({ClusterixAutoConfiguration.RedissonRedis.class, ClusterixAutoConfiguration.LettuceRedis.class,
        ClusterixAutoConfiguration.JedisRedis.class})
public final class ClusterixAutoConfiguration {
    ClusterixAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    Clusterix clusterix(ObjectProvider<ClusterixRedis> redis, ClusterixProperties properties,
                        Environment environment, ObjectProvider<ClusterixBuilderCustomizer> customizers) {
        ClusterixRedis client = redis.getIfAvailable();
        if (client == null) {
            throw new IllegalStateException("clusterix found no Redis client to build its node from. Add"
                    + " spring-boot-starter-data-redis with Lettuce (configured under spring.data.redis.*) and"
                    + " io.clusterix:clusterix-lettuce, or define a RedissonClient bean and add"
                    + " io.clusterix:clusterix-redisson, or define a ClusterixRedis bean; or set"
                    + " clusterix.enabled=false.");
        }
        return ClusterixFactory.build(client, properties, environment, customizers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterixState clusterixState(Clusterix cluster) {
        return new ClusterixState(cluster);
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterixApplicationEvents clusterixApplicationEvents(Clusterix cluster, ApplicationEventPublisher publisher) {
        return new ClusterixApplicationEvents(cluster, publisher);
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterixLifecycle clusterixLifecycle(Clusterix cluster, ClusterixState state,
                                          ObjectProvider<ClusterixRedis> redis, ClusterixProperties properties,
                                          ClusterixApplicationEvents events) {
        // events: a dependency only so that its listeners are registered before the node joins.
        ClusterixRedis source = redis.getIfAvailable(() -> new ClusterixRedis(cluster,
                "the Clusterix bean of the application", "the Redis client it was built with"));
        return new ClusterixLifecycle(cluster, state, source, properties.isFailOnJoinError());
    }

    /**
     * The application's {@code RedissonClient} bean, first: an application that has one chose Redisson (the Spring
     * Data Redis sources below back off when there is one).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.redisson.api.RedissonClient", "io.clusterix.redisson.RedissonHeartbeatStore"})
    @ConditionalOnBean(type = "org.redisson.api.RedissonClient")
    static class RedissonRedis {
        @Bean
        @ConditionalOnMissingBean
        ClusterixRedis clusterixRedis(RedissonClient redisson) {
            return new ClusterixRedis(redisson, "the RedissonClient bean", "the RedissonClient's Config");
        }
    }

    /**
     * The native client of Spring Data Redis' {@code LettuceConnectionFactory}: a {@code RedisClient} (standalone,
     * or Sentinel with a {@code redis-sentinel://} URI) or a {@code RedisClusterClient}. The factory owns and shuts
     * it down, after this node left (it is a dependency of the node).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
            "io.lettuce.core.RedisClient", "io.clusterix.lettuce.LettuceHeartbeatStore"})
    @ConditionalOnBean(type = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory")
    @ConditionalOnMissingBean(type = "org.redisson.api.RedissonClient")
    static class LettuceRedis {
        @Bean
        @ConditionalOnMissingBean
        ClusterixRedis clusterixRedis(LettuceConnectionFactory factory) {
            AbstractRedisClient client = factory.getRequiredNativeClient();
            return new ClusterixRedis(client, "the native " + client.getClass().getSimpleName()
                    + " of the LettuceConnectionFactory bean", "spring.data.redis.*");
        }
    }

    /**
     * The Jedis client of {@link JedisClusterixClient} for Spring Data Redis' {@code JedisConnectionFactory}: the
     * factory's own client where it shares one (Spring Data Redis 4.1, every topology; 4.0, a Redis Cluster), else a
     * pool of clusterix's own with the factory's settings, closed with the context.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.data.redis.connection.jedis.JedisConnectionFactory",
            "redis.clients.jedis.JedisPool", "io.clusterix.jedis.JedisHeartbeatStore"})
    @ConditionalOnBean(type = "org.springframework.data.redis.connection.jedis.JedisConnectionFactory")
    @ConditionalOnMissingBean(type = "org.redisson.api.RedissonClient")
    static class JedisRedis {
        @Bean
        @ConditionalOnMissingBean(ClusterixRedis.class)
        JedisClusterixClient clusterixJedisClient(JedisConnectionFactory factory) {
            return JedisClusterixClient.of(factory);
        }

        @Bean
        @ConditionalOnMissingBean
        ClusterixRedis clusterixRedis(JedisClusterixClient jedis) {
            return new ClusterixRedis(jedis.client(), jedis.source(), "spring.data.redis.*");
        }
    }
}
