/**
 * Implementation details of the engine. Not exported from the module; not an API, may change in any release.
 */
package io.clusterix.internal;
