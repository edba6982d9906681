package io.clusterix.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** {@code clusterix history}: the changes Redis keeps, newest last, with the leader after each. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Prints the retained membership changes (the last 1,000, at most an hour old once a later one"
                + " is written), newest last: version, time (UTC), type, node, incarnation, the leader after it.")
final class HistoryCommand extends ClusterCommand {
    @Option(names = "--node", paramLabel = "NODE", description = "only the changes of this node")
    String node;

    @Option(names = "--last", paramLabel = "N", description = "only the last N changes")
    Integer last;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    @Override
    int run(RedisConnection redis, PrintWriter out) {
        List<History.Change> changes = History.of(History.read(redis, connection.timeout().toMillis()),
                Optional.ofNullable(node));
        if (last != null && last >= 0 && changes.size() > last) {
            changes = changes.subList(changes.size() - last, changes.size());
        }
        if (!json) {
            out.println(changes.size() + " change" + (changes.size() == 1 ? "" : "s") + " of " + redis.keys()
                    + (node != null ? " for node " + node : "") + ", newest last:");
        }
        for (History.Change change : changes) {
            out.println(json ? Json.write(StateFormat.json(change)) : change.line());
        }
        return 0;
    }
}
