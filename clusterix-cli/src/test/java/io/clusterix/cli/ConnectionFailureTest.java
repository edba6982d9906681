package io.clusterix.cli;

import io.clusterix.fixture.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionFailureTest extends CliTest {
    @Test
    void aWrongPasswordIsACleanRefusalThatNeverEchoesThePassword() {
        String user = prefix + "-user";
        List<String> rules = new java.util.ArrayList<>(List.of("ACL", "SETUSER", user));
        rules.addAll(DoctorCommandTest.leastPrivilege(prefix, List.of()).stream()
                .map(r -> r.equals(">pw") ? ">right-password" : r).toList());
        resp.call(rules.toArray(new String[0]));
        try {
            String url = "redis://" + user + ":Wr0ngPassw0rd@" + redis.host() + ":" + redis.port();
            Result wrong = cli("members", "--redis-url", url);
            assertEquals(CliException.UNREACHABLE, wrong.status());
            assertTrue(wrong.err().startsWith("clusterix members: Redis at redis://" + redis.host() + ":"
                    + redis.port() + " (user " + user + ") refused the credentials (WRONGPASS"), wrong.err());
            assertTrue(wrong.err().contains("Check the user and password: --redis-url redis://USER:PASSWORD@host:port,"
                    + " --user, or the environment variable CLUSTERIX_REDIS_PASSWORD."), wrong.err());
            assertFalse((wrong.out() + wrong.err()).contains("Wr0ngPassw0rd"), "the password is never printed");
            assertFalse(wrong.err().contains("\tat "), "no stack trace: " + wrong.err());

            Result fromEnv = cliWith(Map.of(ConnectionOptions.PASSWORD_ENV, "right-password"), "", "members",
                    "--user", user);
            assertEquals(0, fromEnv.status(), fromEnv.err());
            assertFalse(fromEnv.out().contains("right-password"));
        } finally {
            resp.call("ACL", "DELUSER", user);
        }
    }

    @Test
    void anUnreachableHostIsAClearMessageAndExitStatus3ForEveryCommand() {
        int port = RedisServerProcess.freePort();
        for (String command : List.of("members", "history", "watch", "doctor", "evict", "dashboard")) {
            List<String> args = new java.util.ArrayList<>(List.of(command, "--redis-url", "redis://127.0.0.1:" + port,
                    "--command-timeout", "1000"));
            if (command.equals("evict")) {
                args.addAll(List.of("somebody", "--yes"));
            }
            Result result = cli(args.toArray(new String[0]));
            assertEquals(CliException.UNREACHABLE, result.status(), command + ": " + result.err());
            assertTrue(result.err().startsWith("clusterix " + command + ": Cannot reach Redis at redis://127.0.0.1:"
                    + port + ": "), result.err());
            assertTrue(result.err().contains("Check the address (--redis-url, --sentinel with --master, or --cluster)"),
                    result.err());
        }
    }

    @Test
    void contradictingOptionsAreAUsageError() {
        Result both = cli("members", "--cluster", "127.0.0.1:1", "--redis-url", redis.uri());
        assertEquals(2, both.status());
        assertTrue(both.err().contains("Give one of --redis-url, --sentinel or --cluster, not 2."), both.err());
        Result noMaster = cli("members", "--sentinel", "127.0.0.1:26379");
        assertEquals(2, noMaster.status());
        assertTrue(noMaster.err().contains("--sentinel needs --master NAME"), noMaster.err());
    }
}
