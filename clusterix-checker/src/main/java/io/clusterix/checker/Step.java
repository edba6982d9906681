package io.clusterix.checker;

/**
 * One timed step of a {@link Schedule}: {@link #at()} is milliseconds from the run's start. Steps name their target
 * node by id; the runner applies a step to that id's current life, and skips what cannot apply (a crash of an id that
 * runs no life, a rejoin of one that does, a crash that would leave fewer than {@link ScheduleRunner#MIN_RUNNING}
 * lives running), and says so in its log. The schedule's generator keeps a model of which ids run, so that most steps
 * apply.
 */
public sealed interface Step {
    /** @return when, in ms from the run's start */
    long at();

    /**
     * Starts a life under this id ({@code Clusterix.initializeNode()}), if none runs: the initial joins, and later
     * rejoins under the same id (a new incarnation, possibly taking over the dead predecessor's entry).
     *
     * @param at   when
     * @param node the id
     */
    record Join(long at, String node) implements Step {
    }

    /**
     * Kills the life ({@code dispose()}): a crash, as far as the others can tell.
     *
     * @param at   when
     * @param node the id
     */
    record Crash(long at, String node) implements Step {
    }

    /**
     * For a while, strikes every node-down handler that starts on a running life: 40 % are killed 0 to 1.5 s into
     * their run (a survivor that dies while it cleans up after another), 40 % are paused 0 to 0.3 s into it for 0.7
     * to 2.5 s (a claimer that stops while it handles a death: its claim lapses, and another survivor handles the death
     * again), 20 % are left alone. A struck handler runs at least until the strike. The draws come from a random
     * sequence seeded by the schedule's seed, in the order handlers start.
     *
     * @param at           when
     * @param windowMillis for how long
     */
    record HandlerFaults(long at, long windowMillis) implements Step {
    }

    /**
     * Closes the life ({@code close()}: a graceful leave, then the process exits).
     *
     * @param at   when
     * @param node the id
     */
    record Leave(long at, String node) implements Step {
    }

    /**
     * Pauses the life, as SIGSTOP would (see {@link NodeControl}).
     *
     * @param at     when
     * @param node   the id
     * @param millis for how long: shorter or longer than {@code timeout}
     */
    record Pause(long at, String node, long millis) implements Step {
    }

    /**
     * Drops replies of the life's heartbeats and leaves for a while (the calls ran on the server).
     *
     * @param at          when
     * @param node        the id
     * @param millis      for how long
     * @param probability each reply's chance of being dropped
     */
    record DropReplies(long at, String node, long millis, double probability) implements Step {
    }

    /**
     * Delays replies of the life's heartbeats and leaves for a while.
     *
     * @param at          when
     * @param node        the id
     * @param millis      for how long
     * @param delayMillis by how much: shorter or longer than {@code timeout} (then the engine has given up)
     */
    record DelayReplies(long at, String node, long millis, long delayMillis) implements Step {
    }

    /**
     * Makes the life's node-down handlers that start within a while take a given time.
     *
     * @param at            when
     * @param node          the id
     * @param millis        for how long
     * @param handlerMillis how long each takes: shorter than {@code timeout}, longer, or longer than
     *                      {@code handlerTimeout}
     */
    record SlowHandlers(long at, String node, long millis, long handlerMillis) implements Step {
    }

    /**
     * SIGSTOPs redis-server, and SIGCONTs it after a while.
     *
     * @param at     when
     * @param millis for how long: shorter than the outage gap, about {@code timeout}, or longer
     */
    record StallRedis(long at, long millis) implements Step {
    }

    /**
     * SIGKILLs redis-server and starts it again on the same port with its data (AOF, fsync on every write).
     *
     * @param at when
     */
    record RestartRedis(long at) implements Step {
    }
}
