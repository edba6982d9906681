package io.clusterix.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code clusterix doctor}: checks what clusterix needs of Redis and explains what is wrong; exit 1 on a failure. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Checks the server and topology, the script, the keys' types, the ACL rights of the user (and"
                + " prints the ACL SETUSER line), the round trip against --timeout, this host's clock against Redis"
                + " TIME, persistence and replication. Exit status 0 when nothing failed, 1 otherwise.")
final class DoctorCommand extends ClusterCommand {
    @Option(names = "--duration-ms", paramLabel = "MS", defaultValue = "3000",
            description = "how long to measure the round trip (default: ${DEFAULT-VALUE})")
    long durationMillis;

    @Override
    int run(RedisConnection redis, PrintWriter out) {
        long timeout = connection.timeout().toMillis();
        out.println("clusterix doctor for " + redis.keys() + " at " + redis.where() + ", timeout " + timeout + " ms");
        DoctorChecks checks = new DoctorChecks(redis, timeout, connection.commandTimeout().toMillis());
        List<Finding> findings = new ArrayList<>();
        findings.add(print(out, checks.server()));
        findings.addAll(print(out, acl(redis)));
        findings.add(print(out, checks.script()));
        findings.add(print(out, checks.keys()));
        findings.add(print(out, checks.latency(durationMillis)));
        findings.add(print(out, checks.clock()));
        findings.add(print(out, checks.persistence()));
        findings.add(print(out, checks.replication()));
        long failed = findings.stream().filter(f -> f.level() == Finding.Level.FAIL).count();
        long warned = findings.stream().filter(f -> f.level() == Finding.Level.WARN).count();
        out.println(failed == 0 ? "all well (" + warned + " warning" + (warned == 1 ? "" : "s") + ")"
                : failed + " problem" + (failed == 1 ? "" : "s") + " found");
        return failed == 0 ? 0 : CliException.FAILED;
    }

    private static Finding print(PrintWriter out, Finding finding) {
        out.println(finding.line());
        out.flush();
        return finding;
    }

    private static List<Finding> print(PrintWriter out, List<Finding> findings) {
        findings.forEach(finding -> print(out, finding));
        return findings;
    }

    private static List<Finding> acl(RedisConnection redis) {
        AclProbe probe = new AclProbe(redis);
        Map<String, Boolean> allowed = probe.probe();
        String user = whoami(redis);
        List<String> needed = new ArrayList<>(AclProbe.NEEDED);
        if (redis.mode() == RedisConnection.Mode.CLUSTER) {
            needed.addAll(AclProbe.CLUSTER);
        }
        List<String> missing = needed.stream().filter(c -> Boolean.FALSE.equals(allowed.get(c)))
                .collect(Collectors.toList());
        List<String> unprobed = needed.stream().filter(c -> !allowed.containsKey(c)).collect(Collectors.toList());
        List<Finding> findings = new ArrayList<>();
        if (!missing.isEmpty() || !unprobed.isEmpty()) {
            findings.add(Finding.fail("acl", "user " + user + " lacks " + missing.stream().map(c -> "+" + c)
                    .collect(Collectors.joining(" ")) + " on ~" + probe.pattern()
                    + (unprobed.isEmpty() ? "" : "; not probed: " + unprobed.stream().map(c -> "+" + c)
                    .collect(Collectors.joining(" ")) + " (probing it safely needs +eval and +hdel)")
                    + ". Grant what clusterix needs:\n" + probe.setUserLine(user)));
            return findings;
        }
        findings.add(Finding.ok("acl", "user " + user + " may run every command clusterix needs on ~"
                + probe.pattern() + " (" + needed.size() + " probed)"));
        List<String> extra = probe.extra();
        if (!extra.isEmpty()) {
            findings.add(Finding.warn("acl", "user " + user + " " + String.join(" and ", extra) + ": more than"
                    + " clusterix needs. Least privilege:\n" + probe.setUserLine(user.equals("default") ? null
                    : user)));
        }
        return findings;
    }

    private static String whoami(RedisConnection redis) {
        try {
            return redis.keyServer().aclWhoami();
        } catch (RuntimeException e) {
            return redis.user() == null ? "default" : redis.user();
        }
    }
}
