package io.clusterix.cli;

import io.clusterix.ClusterixException;
import io.lettuce.core.RedisException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * {@code clusterix}: the operator's command line for a clusterix cluster. It reads only, except {@code evict}.
 * {@code java -jar clusterix-cli/target/clusterix.jar COMMAND [options]}; {@code --help} on any command.
 */
@Command(name = "clusterix", mixinStandardHelpOptions = true, versionProvider = ClusterixCli.Version.class,
        description = "Looks at a clusterix cluster in Redis: who is in it, what changed, whether Redis and the ACL"
                + " are right. Reads only, except `evict`.",
        subcommands = {MembersCommand.class, WatchCommand.class, HistoryCommand.class, DoctorCommand.class,
                EvictCommand.class, DashboardCommand.class},
        footer = {"", "Exit status: 0 all well; 1 a problem was found or the command was refused; 2 wrong usage;"
                + " 3 Redis unreachable or refused the credentials.",
                "The password may also come from the environment variable " + ConnectionOptions.PASSWORD_ENV + "."})
public final class ClusterixCli implements Runnable {
    private final Map<String, String> env;
    private final BufferedReader in;

    @Spec
    CommandSpec spec;

    ClusterixCli(Map<String, String> env, BufferedReader in) {
        this.env = env;
        this.in = in;
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.exit(execute(args, out, err, System.getenv(), in));
    }

    /**
     * Runs a command line in this JVM.
     *
     * @param args the command and its options
     * @param out  where results go
     * @param err  where errors and warnings go
     * @param env  the environment
     * @param in   the operator's answers (evict's confirmation)
     * @return the exit status
     */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, BufferedReader in) {
        CommandLine commandLine = new CommandLine(new ClusterixCli(env, in));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((error, command, parsed) -> {
            Throwable cause = error;
            while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            CliException failure = cause instanceof CliException known ? known
                    : cause instanceof RedisException redis ? Failures.during("running " + command.getCommandName(),
                    redis)
                    : cause instanceof ClusterixException clusterix ? new CliException(CliException.FAILED,
                    clusterix.getMessage(), clusterix)
                    : cause instanceof TimeoutException ? new CliException(CliException.UNREACHABLE, "Redis did not"
                    + " answer in time; raise --command-timeout to wait longer.", cause) : null;
            if (failure == null) {
                throw error;
            }
            command.getErr().println("clusterix " + command.getCommandName() + ": " + failure.getMessage());
            command.getErr().flush();
            return failure.exitCode();
        });
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    Map<String, String> env() {
        return env;
    }

    BufferedReader in() {
        return in;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version of the jar, from its manifest when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ClusterixCli.class.getPackage().getImplementationVersion();
            return new String[] {"clusterix " + (version == null ? "(development build)" : version)};
        }
    }
}
