/**
 * The public API: {@link io.clusterix.Clusterix} and its builder, the events it emits and its exceptions.
 *
 * <p>Start with {@link io.clusterix.Clusterix#builder(Object)}.
 */
package io.clusterix;
