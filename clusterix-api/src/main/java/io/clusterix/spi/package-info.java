/**
 * The service provider interface: what a backend author implements, and the one seam between the engine and Redis.
 *
 * <ul>
 *   <li>{@link io.clusterix.spi.ScriptedHeartbeatStore}: a backend extends it and implements its two protected
 *       methods, {@code evalSha} and {@code eval}: "run this script with these keys and arguments on my client".
 *       That is the whole adapter (bucket4j's and ShedLock's few-method templates are the model). Every contract
 *       method is final and the Lua text is private to this package: no backend can change the protocol, and the
 *       protocol exists once.</li>
 *   <li>{@link io.clusterix.spi.HeartbeatStoreProvider}: how {@link java.util.ServiceLoader} finds the backend for a
 *       client object.</li>
 *   <li>{@link io.clusterix.spi.HeartbeatStore}: the contract the engine relies on, stated once and proven by the
 *       TCK's {@code HeartbeatStoreContract} on real Redis.</li>
 * </ul>
 *
 * <p>Why an abstract class for backends rather than a separate script-runner interface beside a final store: the
 * backend's store <em>is</em> a {@code HeartbeatStore}, so an application can build one with tuned settings and pass
 * it to {@code Clusterix.builder(Object)} (for example {@code new JedisHeartbeatStore(client, executor, 8)}), and the
 * TCK tests the exact object the engine uses; with the contract methods final, subclassing gives no more power than
 * a runner interface would. {@link io.clusterix.spi.HeartbeatStore#poll} stays although the engine always polls
 * inside a heartbeat: it is how a caller that is not a member (the TCK's concurrent pollers, an operator's tool)
 * claims deaths without heartbeating under someone's id.
 *
 * <p>Dependencies run one way: this package uses the public types of {@code io.clusterix} (events, exceptions,
 * {@link io.clusterix.ClusterKeys}), never the engine's internals, and {@code io.clusterix} does not use it (the
 * facade reaches stores through its internal engine); ArchUnit checks both.
 */
package io.clusterix.spi;
