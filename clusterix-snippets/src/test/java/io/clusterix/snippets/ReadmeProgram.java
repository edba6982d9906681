package io.clusterix.snippets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * One ```java block of the README, exactly as it stands there: a whole compilation unit that a user pastes into a
 * file named after its public class.
 *
 * @param source    the block's text
 * @param className the name of its public class
 */
record ReadmeProgram(String source, String className) {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("public (?:final )?class (\\w+)");

    /**
     * @param readme the README
     * @return every ```java block, in order
     */
    static List<ReadmeProgram> all(Path readme) {
        String text = read(readme);
        List<ReadmeProgram> programs = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(text);
        while (block.find()) {
            String source = block.group(1);
            Matcher name = PUBLIC_CLASS.matcher(source);
            if (!name.find()) {
                throw new AssertionError("A ```java block of the README has no public class, so it cannot be pasted"
                        + " into a file and run:\n" + source);
            }
            programs.add(new ReadmeProgram(source, name.group(1)));
        }
        return programs;
    }

    /** @return true for a program to run (it has a {@code main}), false for an example class to compile */
    boolean runnable() {
        return source.contains("public static void main(String[] args)");
    }

    /** @return the Redis client library the program imports: {@code jedis}, {@code lettuce} or {@code redisson} */
    String backend() {
        if (source.contains("import redis.clients.jedis.")) {
            return "jedis";
        }
        if (source.contains("import io.lettuce.core.")) {
            return "lettuce";
        }
        if (source.contains("import org.redisson.")) {
            return "redisson";
        }
        return "none";
    }

    /**
     * Compiles the program alone in {@code dir}, as {@code javac --release 17} would.
     *
     * @param dir       an empty directory for the source and the classes
     * @param classpath the class path to compile against
     * @return {@code dir}, to be put on the class path that runs the program
     */
    Path compile(Path dir, String classpath) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(className + ".java");
            Files.writeString(file, source, StandardCharsets.UTF_8);
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                boolean compiled = javac.getTask(null, files, diagnostics,
                        List.of("--release", "17", "-classpath", classpath, "-d", dir.toString(), "-Xlint:all"),
                        null, files.getJavaFileObjects(file)).call();
                List<Diagnostic<? extends JavaFileObject>> reported = diagnostics.getDiagnostics();
                if (!compiled || !reported.isEmpty()) {
                    throw new AssertionError("The README's " + backend() + " program does not compile cleanly as it"
                            + " stands:\n" + reported.stream().map(d -> d.getKind() + " line " + d.getLineNumber()
                            + ": " + d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n")) + "\n" + source);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
