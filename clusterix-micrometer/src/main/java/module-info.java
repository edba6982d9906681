/**
 * Micrometer meters for clusterix: {@link io.clusterix.micrometer.ClusterixMetrics}, a {@code MeterBinder} over one
 * {@link io.clusterix.Clusterix} instance.
 */
module io.clusterix.micrometer {
    // Transitive: the public signatures here use clusterix's and Micrometer's types.
    requires transitive io.clusterix;
    requires transitive micrometer.core;

    exports io.clusterix.micrometer;
}
