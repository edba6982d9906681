/**
 * Actuator support for clusterix: the {@code clusterix} health ({@link
 * io.clusterix.spring.boot.actuate.ClusterixHealthIndicator}) and the {@code /actuator/clusterix} endpoint ({@link
 * io.clusterix.spring.boot.actuate.ClusterixEndpoint}). Used only when Spring Boot's health and actuator modules are
 * on the class path.
 */
package io.clusterix.spring.boot.actuate;
