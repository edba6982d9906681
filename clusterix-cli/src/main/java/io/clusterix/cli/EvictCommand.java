package io.clusterix.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code clusterix evict NODE}: the one command that writes, for an operator who knows a node is gone. One atomic step
 * of the clusterix script ({@code ScriptedHeartbeatStore.evict}): the entry is removed, its {@code TIMED_OUT}
 * recorded, and the next poll of a survivor reports the death (delivery 1) as any other. Asks first, unless
 * {@code --yes}.
 */
@Command(name = "evict", mixinStandardHelpOptions = true,
        description = "Declares a node dead now: survivors get its node-down as for any death (reason TIMED_OUT)."
                + " If it still runs, it learns at its next heartbeat that it was declared dead. Asks for"
                + " confirmation unless --yes. The note goes to the Redis server's log.")
final class EvictCommand extends ClusterCommand {
    @Parameters(paramLabel = "NODE", description = "the node id")
    String node;

    @Option(names = "--incarnation", paramLabel = "N",
            description = "evict only this incarnation (default: the one that owns the id now)")
    long incarnation;

    @Option(names = "--note", paramLabel = "TEXT", defaultValue = "",
            description = "why, for the Redis server's log and this command's output")
    String note;

    @Option(names = {"--yes", "-y"}, description = "do not ask")
    boolean yes;

    @Override
    int run(RedisConnection redis, PrintWriter out) throws Exception {
        ClusterState state = ClusterState.read(redis, connection.timeout().toMillis());
        Optional<ClusterState.Member> found = state.members().stream().filter(m -> m.nodeId().equals(node))
                .findFirst();
        if (found.isEmpty() || found.get().incarnation() == 0) {
            throw new CliException(CliException.FAILED, "Node '" + node + "' has no entry in " + redis.keys()
                    + ": nothing to evict. `clusterix members` lists the entries (check --key-prefix and --id).");
        }
        ClusterState.Member member = found.get();
        if (member.status() == ClusterState.Status.LEFT) {
            throw new CliException(CliException.FAILED, "Node '" + node + "' left gracefully; the next poll of a"
                    + " survivor reports it (reason LEFT): nothing to evict.");
        }
        long target = incarnation != 0 ? incarnation : member.incarnation();
        if (target != member.incarnation()) {
            throw new CliException(CliException.FAILED, "Node '" + node + "' is owned by incarnation "
                    + member.incarnation() + ", not " + target + ": nothing evicted.");
        }
        long age = member.age(state.serverTime());
        out.println("node " + node + ", incarnation " + target + ", last heartbeat " + age + " ms ago: "
                + (member.status() == ClusterState.Status.LIVE ? "LIVE (it will be told it was declared dead at its"
                + " next heartbeat, then rejoin as a new incarnation or stop, as its evictionPolicy says)"
                : "STALE (dead, not yet reported)"));
        if (!yes && !confirmed(out)) {
            throw new CliException(CliException.FAILED, "Not confirmed: nothing evicted. Answer 'yes', or give"
                    + " --yes to evict without asking.");
        }
        long evicted = redis.store().evict(redis.keys(), node, target, note)
                .get(connection.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        if (evicted == 0) {
            throw new CliException(CliException.FAILED, "Nothing evicted: incarnation " + target + " of node '"
                    + node + "' no longer owns its entry (it left, was reported dead or rejoined meanwhile)."
                    + " `clusterix members` shows what is there now.");
        }
        out.println("evicted node " + node + " (incarnation " + evicted + ") of " + redis.keys() + ": TIMED_OUT"
                + " recorded; the next poll of a survivor reports it (delivery 1)"
                + (note.isEmpty() ? "" : "; note \"" + note + "\" written to the Redis server's log"));
        return 0;
    }

    private boolean confirmed(PrintWriter out) throws IOException {
        out.print("Evict node '" + node + "' of " + connection.keys() + "? Type yes to confirm: ");
        out.flush();
        String answer = cli.in().readLine();
        return answer != null && answer.strip().equalsIgnoreCase("yes");
    }
}
