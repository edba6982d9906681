package io.clusterix.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorCommandTest extends CliTest {
    /** The README's least-privilege rules, after the user name. */
    static List<String> leastPrivilege(String prefix, List<String> without) {
        List<String> rules = new ArrayList<>(List.of("on", ">pw", "resetkeys", "~{" + prefix + "*", "resetchannels",
                "-@all"));
        AclProbe.NEEDED.stream().filter(c -> !without.contains(c)).forEach(c -> rules.add("+" + c));
        return rules;
    }

    @Test
    void aHealthyClusterPassesEveryCheckAsTheDefaultUserWithAWarningForItsExtraRights() {
        joined("one");
        joined("two");

        Result doctor = cli("doctor", "--duration-ms", "300");

        assertEquals(0, doctor.status(), doctor.out() + doctor.err());
        String out = doctor.out();
        assertTrue(out.matches("(?s).*\\[ OK ] server: Redis \\d+\\.\\d+\\.\\d+ \\(redis_mode standalone\\),"
                + " standalone, at 127\\.0\\.0\\.1:" + redis.port() + "\n.*"), out);
        assertTrue(out.contains("[ OK ] acl: user default may run every command clusterix needs on ~{" + prefix
                + "* (20 probed)"), out);
        assertTrue(out.contains("[WARN] acl: user default may run DEL (and likely more commands) on the cluster's keys"
                + " and may read keys outside ~{" + prefix + "*: more than clusterix needs. Least privilege:\n"
                + "         ACL SETUSER clusterix on >password resetkeys ~{" + prefix + "* resetchannels -@all"
                + " +evalsha +eval +script|load +time +type +get +set +zadd +zrem +zscore +zcard +zrange"
                + " +zrangebyscore +hget +hmget +hgetall +hset +hdel +hlen +ping"), out);
        assertTrue(out.contains("[ OK ] script: clusterix.lua loads (SHA-1 ") && out.contains("and runs: 2 live nodes"),
                out);
        assertTrue(out.contains("[ OK ] keys: "), out);
        // OK, or WARN on a machine so loaded that the p99 passes a quarter of the timeout; never FAIL here.
        assertTrue(out.matches("(?s).*\\[( OK |WARN)] latency: round trip \\(PING\\) over 0\\.3 s, \\d+ samples:"
                + " p50 .*"), out);
        assertTrue(out.matches("(?s).*\\[ OK ] clock: this host's clock is \\d+ ms (ahead of|behind) Redis TIME.*"),
                out);
        assertTrue(out.contains("] persistence: ") && out.contains("] replication: master with 0 replicas"), out);
        assertFalse(out.contains("[FAIL]"), out);
        assertTrue(out.matches("(?s).*\nall well \\(\\d warnings?\\)\n"), out);
    }

    @Test
    void aLeastPrivilegeUserPassesAndAUserMissingRightsGetsExactlyTheMissingCommandsAndTheLine() {
        joined("one");
        String fine = prefix + "-fine";
        String stingy = prefix + "-stingy";
        call("ACL", "SETUSER", fine, leastPrivilege(prefix, List.of()));
        call("ACL", "SETUSER", stingy, leastPrivilege(prefix, List.of("time", "zrem", "hset")));
        try {
            Result least = cliWith(Map.of(ConnectionOptions.PASSWORD_ENV, "pw"), "", "doctor", "--user", fine,
                    "--duration-ms", "200");
            assertEquals(0, least.status(), least.out() + least.err());
            assertTrue(least.out().contains("[ OK ] acl: user " + fine + " may run every command clusterix needs"),
                    least.out());
            assertFalse(least.out().contains("more than clusterix needs"), least.out());
            assertTrue(least.out().contains("[WARN] persistence: unknown (CONFIG GET is denied for this user"),
                    least.out());

            Result denied = cliWith(Map.of(ConnectionOptions.PASSWORD_ENV, "pw"), "", "doctor", "--user", stingy,
                    "--duration-ms", "200");
            assertEquals(1, denied.status(), denied.out() + denied.err());
            assertTrue(denied.out().contains("[FAIL] acl: user " + stingy + " lacks +time +zrem +hset on ~{" + prefix
                    + "*. Grant what clusterix needs:\n         ACL SETUSER " + stingy + " on >password resetkeys ~{"
                    + prefix + "* resetchannels -@all +evalsha +eval +script|load +time +type +get +set +zadd +zrem"
                    + " +zscore +zcard +zrange +zrangebyscore +hget +hmget +hgetall +hset +hdel +hlen +ping\n"),
                    denied.out());
            assertTrue(denied.out().contains("[FAIL] clock: TIME failed"), denied.out());
            assertTrue(denied.out().endsWith("problems found\n"), denied.out());
        } finally {
            resp.call("ACL", "DELUSER", fine, stingy);
        }
    }

    @Test
    void aKeyOfAnotherTypeFailsNamingTheKey() {
        joined("one").dispose();
        String heartbeats = "{" + prefix + "}:heartbeats";
        resp.call("DEL", heartbeats);
        resp.call("SET", heartbeats, "another program's value");

        Result doctor = cli("doctor", "--duration-ms", "100");

        assertEquals(1, doctor.status(), doctor.out());
        assertTrue(doctor.out().contains("[FAIL] keys: " + heartbeats + " is a string, clusterix expects a zset."
                + " Another program uses these keys: give clusterix another keyPrefix or id, or delete them"),
                doctor.out());
        assertTrue(doctor.out().contains("[FAIL] script: clusterix.lua loads"), doctor.out());
    }

    private void call(String command, String sub, String user, List<String> rules) {
        List<String> all = new ArrayList<>(List.of(command, sub, user));
        all.addAll(rules);
        resp.call(all.toArray(new String[0]));
    }
}
