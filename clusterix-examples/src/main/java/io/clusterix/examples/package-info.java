/**
 * The demo from the README: {@link io.clusterix.examples.Demo} launches three {@link io.clusterix.examples.DemoNode}
 * processes on one Redis server, kills one with SIGKILL and waits for a survivor to report it. Not a library: nothing
 * here is published.
 */
package io.clusterix.examples;
