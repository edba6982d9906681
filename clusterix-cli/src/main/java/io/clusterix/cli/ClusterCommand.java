package io.clusterix.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What every command shares: the connection options, one connection for the command's run, its output. */
abstract class ClusterCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @ParentCommand
    ClusterixCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try (RedisConnection redis = RedisConnection.open(connection, cli.env())) {
            return run(redis, spec.commandLine().getOut());
        }
    }

    /**
     * @param redis the open connection, closed after
     * @param out   where results go
     * @return the exit status
     * @throws Exception to be reported: a {@link CliException} as its message
     */
    abstract int run(RedisConnection redis, PrintWriter out) throws Exception;

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
