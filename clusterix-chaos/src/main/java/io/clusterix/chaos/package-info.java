/**
 * The chaos suite's node process ({@link io.clusterix.chaos.ChaosNode}): a clusterix member that reports every event
 * as a line on standard output, so that tests can SIGKILL, SIGSTOP or clock-shift real node JVMs and check what the
 * survivors saw. The tests live in this module's {@code src/test} and run with {@code -Pchaos}.
 */
package io.clusterix.chaos;
