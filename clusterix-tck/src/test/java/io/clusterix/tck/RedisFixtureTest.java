package io.clusterix.tck;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the fixture prints about the server it uses: one clean path, and the version that runs. */
class RedisFixtureTest {

    @Test
    void theDescriptionNamesTheVersionThatRunsAndOneCleanPath() {
        String description = RedisFixture.description();
        String running = RedisFixture.version(RedisFixture.redis());

        assertTrue(running.matches("\\d+\\.\\d+\\.\\d+"), running);
        assertTrue(description.startsWith("redis-server " + running + " at redis://"), description);
        assertFalse(description.contains("//tmp") || description.contains("//" + System.getProperty("java.io.tmpdir")),
                description);
        if (System.getenv(RedisFixture.URL_ENV) == null && System.getenv(RedisServerProcess.SERVER_ENV) == null) {
            // The embedded binary's file name carries no version of its own (embedded-redis names 6.2.11 "6.2.6-v5").
            String binary = RedisServerProcess.binary().getFileName().toString();
            assertFalse(binary.matches(".*\\d+\\.\\d+.*"), binary);
        }
    }

    @Test
    void aServerProcessDescribesItsDirectoryWithoutADoubledSlash() {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            assertFalse(server.toString().contains("//"), server.toString());
        }
    }
}
