package io.clusterix.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code clusterix members}: the entries of the cluster now, the leader marked, and the deaths being handled. */
@Command(name = "members", mixinStandardHelpOptions = true,
        description = "Lists the members: incarnation, age of the last heartbeat by Redis time, metadata, the leader"
                + " (*), entries that are stale or left but not yet reported, and claimed deaths with their claimer"
                + " and delivery count.")
final class MembersCommand extends ClusterCommand {
    @Option(names = "--json", description = "one JSON object, for scripts")
    boolean json;

    @Override
    int run(RedisConnection redis, PrintWriter out) {
        ClusterState state = ClusterState.read(redis, connection.timeout().toMillis());
        out.print(json ? Json.write(StateFormat.json(state)) + "\n" : StateFormat.table(state, redis.where()));
        return 0;
    }
}
