package io.clusterix.checker;

import io.clusterix.NodeDownEvent;
import io.clusterix.checker.History.Call;

/**
 * A claim, as {@link Invariant} defines it: a death in a call's real reply (delivered to the engine or not), at the
 * server time of that reply.
 *
 * @param call  the call whose reply held the death
 * @param event the death
 * @param at    the server time (ms) of the reply; where the reply carries none, the local time it arrived, mapped
 *              onto server time
 */
record Claim(Call call, NodeDownEvent event, long at) {
}
