/**
 * A randomized protocol checker for clusterix, Jepsen-style: many engines in one JVM against a real redis-server
 * through a fault-injecting layer, schedules drawn from a seed, and a checker over the recorded history.
 *
 * <h2>How a run goes</h2>
 * <ol>
 *   <li>A {@link io.clusterix.checker.Schedule} is drawn from a seed: 6 to 10 nodes, the engines' intervals
 *       (heartbeat 100 ms, {@code timeout} 600 ms, {@code handlerTimeout} 2 s, poll 100, 250 or 500 ms) and about 25
 *       timed faults over a 12 s fault phase.</li>
 *   <li>{@link io.clusterix.checker.ScheduleRunner} starts a persistent redis-server
 *       ({@link io.clusterix.checker.CheckerRedis}: AOF with fsync on every write), one Lettuce client and one real
 *       {@code LettuceHeartbeatStore}, and for each node life a {@code Clusterix} built with
 *       {@code Clusterix.builder(store)} on its own {@link io.clusterix.checker.FaultyStore}: the production engine
 *       with the real ticker, scheduler thread and callback pool.</li>
 *   <li>Each {@code FaultyStore} forwards every call to the real store and records it with its real reply and the
 *       server time that reply carries, <em>before</em> any fault touches the reply; then its
 *       {@link io.clusterix.checker.NodeControl} delivers the reply to the engine, late, or never. So the history
 *       holds every call the server ran, including those whose reply the engine never saw.</li>
 *   <li>Faults: a node crashes ({@code dispose()}), is killed or paused while its node-down handler runs (the
 *       handlers that start in a {@link io.clusterix.checker.Step.HandlerFaults} window), leaves
 *       ({@code close()}), rejoins under the same id (a new life, a new incarnation), pauses shorter or longer than
 *       {@code timeout} (calls and replies held and released in order, handlers frozen, as under SIGSTOP), has its
 *       replies dropped or delayed for a while, or its handlers made slow (shorter than {@code timeout}, longer, or
 *       longer than {@code handlerTimeout}); Redis is SIGSTOPped for 0.1 to 2.5 s or SIGKILLed and restarted with
 *       its data.</li>
 *   <li>When the fault phase ends every fault is lifted; the quiet period lasts until every death has been handled
 *       to completion and every running life is a member (at least 2 s, at most 20 s). Then the history is frozen
 *       and {@link io.clusterix.checker.HistoryChecker} checks the {@link io.clusterix.checker.Invariant}s: (1) no
 *       node reported down before its last heartbeat was {@code timeout} old, unless it left; (2) every death handled
 *       to completion at least once; (3) no two live claimers handling one death at the same time; (4) incarnations
 *       strictly increase; (5) a node declared dead is told so at its next heartbeat that gets through; (6) the
 *       SPI's claim contract (a non-member claims nothing, one caller per claim); (7) a death is handed out again
 *       only when its claimer lost it. Each is defined precisely, in terms of what is recorded, in
 *       {@code Invariant}.</li>
 * </ol>
 *
 * <h2>Choices</h2>
 * <ul>
 *   <li>One backend, Lettuce: one connection carries every engine's calls asynchronously (no pool, no thread per
 *       call), so the fault layer adds the only delays; and Lettuce queues calls across a Redis restart and sends
 *       them once reconnected, so their real replies still reach the history. The engine and the Lua are the same
 *       for every backend.</li>
 *   <li>A kill is {@code dispose()} plus the fault layer's "gone": held calls are never sent, replies are never
 *       delivered, and a running handler stops without completing, as in a crashed process. {@code close()} is a
 *       leave, then the same.</li>
 *   <li>A pause holds calls in the fault layer rather than stopping a JVM: the engine's timers go on, time out the
 *       held calls and queue the next ones, much as a stopped process's timers all fire at once when it resumes.</li>
 *   <li>Server time is the judge: liveness of a claimer, staleness of a heartbeat and order of claims are all
 *       decided on the server times the replies carry; local times (pauses, handler runs) are mapped onto server
 *       time with the history's clock offset (Redis runs on the same host) and given slack that weakens the
 *       check.</li>
 *   <li>Replay: a seed always gives the same schedule; the run is real time on real threads, so a replay repeats the
 *       faults at the same times but not necessarily the same interleaving. A failing seed is worth a few repeats
 *       ({@code -Dchecker.repeat}).</li>
 * </ul>
 *
 * <p>Entry point: {@code ProtocolCheckerTest} in this module's tests; see the README's "Protocol checker" section for
 * the commands.
 */
package io.clusterix.checker;
