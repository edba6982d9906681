package io.clusterix.spring.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's {@code ```java spring} blocks (which {@code clusterix-snippets} leaves out: it compiles without
 * Spring), each compiled alone exactly as it stands, as {@code javac --release 17 -Xlint:all} would, against this
 * module's test class path: Spring Boot 4, Spring Data Redis with Lettuce, clusterix. No error and no warning.
 */
class ReadmeSpringSnippetsTest {
    private static final Pattern SPRING_BLOCK = Pattern.compile("```java spring\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern FIRST_TYPE = Pattern.compile("(?m)^(?:public |final )*(?:class|interface|record)"
            + " (\\w+)");

    @Test
    void everySpringBlockOfTheReadmeCompilesCleanlyAsItStands(@TempDir Path work) throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("clusterix.readme", "../README.md")),
                StandardCharsets.UTF_8);
        List<String> blocks = new ArrayList<>();
        Matcher block = SPRING_BLOCK.matcher(readme);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        assertThat(blocks).as("the @EventListener and the Boot 3.5 wiring, at least").hasSizeGreaterThanOrEqualTo(2);

        for (int i = 0; i < blocks.size(); i++) {
            compile(blocks.get(i), work.resolve("block-" + i));
        }
    }

    private static void compile(String source, Path dir) throws IOException {
        Matcher type = FIRST_TYPE.matcher(source);
        assertThat(type.find()).as("a java spring block of the README declares no class, so it cannot be pasted"
                + " into a file:\n" + source).isTrue();
        Files.createDirectories(dir);
        Path file = dir.resolve(type.group(1) + ".java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            // -proc:none: the configuration processor on this class path is this module's, not the snippet's.
            boolean compiled = javac.getTask(null, files, diagnostics, List.of("--release", "17", "-proc:none",
                    "-Xlint:all", "-classpath", System.getProperty("java.class.path"), "-d", dir.toString()), null,
                    files.getJavaFileObjects(file)).call();
            assertThat(diagnostics.getDiagnostics()).as("the README's block does not compile cleanly:\n"
                    + diagnostics.getDiagnostics().stream().map(d -> d.getKind() + " line " + d.getLineNumber() + ": "
                    + d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n")) + "\n" + source).isEmpty();
            assertThat(compiled).isTrue();
        }
    }
}
