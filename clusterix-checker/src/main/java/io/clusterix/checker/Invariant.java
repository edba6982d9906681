package io.clusterix.checker;

/**
 * What the {@link HistoryChecker} demands of a {@link History}. Each is stated in terms of what is recorded, and
 * leans the safe way wherever the record is uncertain, so that correct behaviour raises no alarm:
 * {@code T} is {@code timeout}, server times are those the replies carry, and a local time compared with a server
 * time gets {@link HistoryChecker#CLOCK_SLACK_MILLIS} of slack in the direction that makes the check weaker.
 *
 * <p>Words used below. A <em>claim</em> is a death in the real reply of a call (delivered to the engine or not): a
 * heartbeat's {@code dead()}, a poll's result, or the predecessor a {@code TAKEN_OVER} join removed; its time is the
 * server time of that reply. A <em>write</em> of incarnation {@code i} is a join reply that handed out {@code i}
 * ({@code JOINED}, {@code TAKEN_OVER}) or a heartbeat of {@code i} whose reply is {@code OK} or {@code RESTORED}, at
 * its server time. Every call the server ran is in the history with its real reply, also those whose reply the
 * engine never got (dropped, late, or its node gone); the only calls that can be missing are those whose reply a Redis
 * SIGKILL cut off (Lettuce sends them again after reconnecting, and the history has the second run). A missing write
 * could only make a claim earlier than it looks, and a missing call could only make a claimer look less live: the
 * checks below can miss a violation there, never invent one.
 */
public enum Invariant {
    /**
     * (1) No early report. Every claim of incarnation {@code i} with reason {@code TIMED_OUT} at server time
     * {@code c} has a last write of {@code i} at {@code w <= c} with {@code c - w > T}: during an
     * outage grace a node may be reported later than that, never earlier. Every claim with reason {@code LEFT} has a
     * leave of {@code i} sent before {@code c} whose reply was {@code LEFT} or is unknown. An incarnation that no
     * recorded join handed out is skipped if Redis was killed before the claim (its join's reply was lost), and is a
     * violation otherwise.
     */
    NO_EARLY_REPORT(1),
    /**
     * (2) Every death handled to completion. Every incarnation that ended (it was claimed; its life was killed or
     * closed; it was evicted; or the engine never took the join that handed it out: the reply was late, dropped or
     * discarded) has, by the end of the quiet period, a node-down handler for it that ran to its end (not stopped by
     * the kill or close of its own node) while its node still held the death: a handler that returns only after its
     * death was claimed again by another life had lost its claim (its node paused, or overran
     * {@code handlerTimeout}), and the death is then in the hands of the survivor that claimed it last (a node that
     * claims its own lapsed claim again still holds it). A death taken over by a join
     * ({@code TAKEN_OVER}) is claimed for the joiner like any other: if the joiner dies in its handler, a survivor
     * must get it again (a checker run found it lost before the join wrote that claim: seed 3).
     */
    HANDLED(2),
    /**
     * (3) One live handler at a time. Two handlers of the same incarnation, started from claims at server times
     * {@code s1 < s2}, must not overlap in time (JVM monotonic clock) if the first claimer was still live at
     * {@code s2}: its life was neither paused, killed nor closing between {@code s1} and {@code s2}; it had held the
     * death for less than {@code handlerTimeout} at {@code s2} (the engine counts from the first claim of a death that
     * a node receives while it still handles it, queueing of its listeners included, and keeps that start when the
     * node claims the same death again; the check counts from the life's earliest delivered claim of the death, which
     * is never later); and its calls kept reaching the server: no gap longer than {@code T} between
     * {@code s1}, the server times of its life's calls in between, and {@code s2} (a claim lapses only after
     * {@code T} without a renewal, and a live claimer renews with every call). A claimer whose calls reached the
     * server less often than that, or whose handler overran {@code handlerTimeout}, lost its claim by design.
     */
    ONE_HANDLER_AT_A_TIME(3),
    /**
     * (4) Incarnations strictly increase. The incarnations handed out by joins are distinct, and one handed out at a
     * later server time (ms) is greater than every one handed out earlier.
     */
    INCARNATIONS_INCREASE(4),
    /**
     * (5) A dead node is told. After the first claim of incarnation {@code i} (server time {@code c}): every
     * heartbeat of {@code i} that the server ran after {@code c} was answered {@code DECLARED_DEAD} or
     * {@code TAKEN_OVER}, and no leave of {@code i} sent after {@code c} was answered {@code LEFT}; the first such
     * reply delivered to its engine is followed by that life's eviction listener being called for {@code i} (unless
     * the life was killed or closed within 2 s of the delivery, or the history ends within 2 s of it), and the engine
     * makes no heartbeat of {@code i} after that delivery.
     */
    TOLD_DEAD(5),
    /**
     * (6) The SPI's claim contract ({@code HeartbeatStore}'s Javadoc): a heartbeat whose reply says the caller is
     * not a member ({@code DECLARED_DEAD}, {@code TAKEN_OVER}, {@code LEFT}) claims no deaths; each claim (an
     * incarnation and a delivery number) is returned to one caller only, deliveries of one death grow with server
     * time, and a claimed entry names its owner's incarnation (not 0).
     */
    CLAIM_CONTRACT(6),
    /**
     * (7) A death is handed out again only when its claimer lost it (the README: "another one only if that survivor
     * dies before its listeners return"; a stuck handler and a claimer cut off count as dying). Of two successive
     * claims of one incarnation (a take-over by a join included) at {@code s1 < s2}, the first must have been lost by
     * {@code s2}: its reply never reached its engine (dropped, late, discarded), or its claimer was not live at
     * {@code s2} in the sense of {@link #ONE_HANDLER_AT_A_TIME}. A live claimer's calls renew the claim while its
     * handler runs and release it when the handler returns, so nobody can claim it meanwhile. Unlike (3), this needs
     * no slow handler to show a claim that lapsed under a live claimer.
     */
    CLAIMED_AGAIN_ONLY_WHEN_LOST(7);

    private final int number;

    Invariant(int number) {
        this.number = number;
    }

    /** @return its number in the list (1 to 5; 6 and 7 for the SPI's and the README's promises on claims) */
    public int number() {
        return number;
    }

    @Override
    public String toString() {
        return "(" + number + ") " + name();
    }
}
