package io.clusterix.snippets;

import io.clusterix.fixture.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Java programs, compiled exactly as they stand and run as a user runs them: separate JVMs with the
 * class path of a project set up as the README says (this module's runtime class path: the BOM, the backends, their
 * clients, slf4j-simple), against a real redis-server. A node stopped with a real SIGTERM must leave gracefully
 * (the shutdown hook), so that a survivor reports it with reason LEFT, not TIMED_OUT.
 */
class ReadmeProgramsTest {
    /** Three JVMs starting at once on a 2-core machine, Redisson's the slowest to start: generous. */
    private static final Duration START = Duration.ofSeconds(90);
    /** A leave is reported at the survivors' next poll (500 ms by default); a TIMED_OUT would take a second more. */
    private static final Duration REPORT = Duration.ofSeconds(20);
    private static final String CLUSTER = "{myapp:clusterix}";

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void theReadmeHasOneWholeProgramPerBackendAndEveryJavaBlockCompilesCleanlyAsItStands() {
        List<ReadmeProgram> programs = ReadmeProgram.all(readme());

        assertEquals(List.of("jedis", "lettuce", "redisson"), programs.stream().filter(ReadmeProgram::runnable)
                .map(ReadmeProgram::backend).collect(Collectors.toList()));
        for (ReadmeProgram program : programs) {
            program.compile(workDir("compile-" + program.className() + "-" + program.backend()), runtimeClasspath());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jedis", "lettuce", "redisson"})
    void theProgramRunsAsPastedAndANodeStoppedWithSigtermLeavesGracefully(String backend) {
        ReadmeProgram program = program(backend);
        Path classes = program.compile(workDir("run-" + backend), runtimeClasspath());
        RedisServerProcess redis = keep(RedisServerProcess.start());
        String url = "redis://127.0.0.1:" + redis.port();

        List<ProgramProcess> nodes = new ArrayList<>();
        for (String nodeId : List.of("node1", "node2", "node3")) {
            nodes.add(keep(ProgramProcess.start(program, classes, runtimeClasspath(), nodeId, url)));
        }
        for (ProgramProcess node : nodes) {
            await().atMost(START).until(() -> node.printed(node.name() + " joined, [") || node.exited());
            assertTrue(node.printed(node.name() + " joined, ["), node::toString);
            // The README's Logging section: with the BOM's slf4j-api 2, clusterix's log lines reach slf4j-simple.
            assertTrue(node.lines().stream().anyMatch(line -> line.contains(" INFO io.clusterix.")
                    && line.contains("Node '" + node.name() + "' joined cluster " + CLUSTER)), node::toString);
        }
        ProgramProcess node3 = nodes.get(2);
        List<ProgramProcess> survivors = nodes.subList(0, 2);

        node3.sigterm();

        await().atMost(REPORT).until(() -> survivors.stream()
                .anyMatch(node -> node.printed("node3 is down, [node1, node2] are still up")));
        await().atMost(REPORT).until(node3::exited);
        assertTrue(node3.printed("Node 'node3' left cluster " + CLUSTER), node3::toString);
        assertEquals(143, node3.exitValue(), "128 + SIGTERM: the JVM ran its shutdown hooks and exited");
        ProgramProcess reporter = survivors.stream()
                .filter(node -> node.printed("node3 is down, [node1, node2] are still up")).findFirst().orElseThrow();
        assertTrue(reporter.printed("Node 'node3' of cluster " + CLUSTER + " is down (LEFT,"), reporter::toString);

        survivors.forEach(ProgramProcess::sigterm);
        for (ProgramProcess node : survivors) {
            await().atMost(REPORT).until(node::exited);
            assertTrue(node.printed("Node '" + node.name() + "' left cluster " + CLUSTER), node::toString);
        }
    }

    @Test
    void withoutTheJedisJarTheLettuceProgramRunsAndTheJedisBackendIsNamedAndSkipped() {
        String classpath = classpath("clusterix.runtimeClasspathWithoutJedis");
        assertTrue(Arrays.stream(classpath.split(File.pathSeparator)).noneMatch(jar -> jar.contains("/jedis-"))
                && classpath.contains("clusterix-jedis"), classpath);
        ReadmeProgram program = program("lettuce");
        Path classes = program.compile(workDir("without-jedis"), classpath);
        RedisServerProcess redis = keep(RedisServerProcess.start());

        ProgramProcess node = keep(ProgramProcess.start(program, classes, classpath, "node1",
                "redis://127.0.0.1:" + redis.port()));

        await().atMost(START).until(() -> node.printed("node1 joined, [node1] are up") || node.exited());
        assertTrue(node.printed("node1 joined, [node1] are up"), node::toString);
        assertTrue(node.printed("io.clusterix:clusterix-jedis is on the class path but Jedis (redis.clients:jedis) is"
                + " not"), node::toString);
        assertTrue(node.lines().stream().noneMatch(line -> line.contains("NoClassDefFoundError") && line.contains(
                "Exception in thread")), node::toString);
    }

    @Test
    void theBomPutsSlf4j2OnTheClassPathOfAnApplicationThatDependsOnJedisDirectly() {
        List<String> slf4j = Arrays.stream(runtimeClasspath().split(File.pathSeparator))
                .map(jar -> Path.of(jar).getFileName().toString()).filter(name -> name.startsWith("slf4j-api-"))
                .collect(Collectors.toList());

        assertEquals(1, slf4j.size(), slf4j.toString());
        assertTrue(slf4j.get(0).startsWith("slf4j-api-2."), slf4j.toString());
    }

    private ReadmeProgram program(String backend) {
        return ReadmeProgram.all(readme()).stream().filter(p -> p.runnable() && p.backend().equals(backend))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the README has no " + backend + " program"));
    }

    private <T extends AutoCloseable> T keep(T resource) {
        cleanup.add(resource);
        return resource;
    }

    private static Path readme() {
        return Path.of(System.getProperty("clusterix.readme"));
    }

    private static String runtimeClasspath() {
        return classpath("clusterix.runtimeClasspath");
    }

    private static String classpath(String property) {
        try {
            return Files.readString(Path.of(System.getProperty(property))).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no class path file from maven-dependency-plugin: " + property, e);
        }
    }

    private static Path workDir(String name) {
        Path dir = Path.of(System.getProperty("clusterix.workDir"), name);
        RedisServerProcess.deleteTree(dir);
        return dir;
    }
}
