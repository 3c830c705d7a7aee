package io.github.s3ite.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataTrainingTest {

    @Test
    void theTrainingRunServesATypicalSessionThenExitsLeavingNothingBehind(@TempDir Path directory) throws Exception {
        // the archive itself is the JVM's work (-XX:ArchiveClassesAtExit, which wants a classpath of jars)
        Path temporary = directory.resolve("tmp");
        Files.createDirectories(temporary);
        Process training = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + temporary,
                "-cp", System.getProperty("java.class.path"), ClassDataTraining.class.getName()))
                .redirectErrorStream(true).start();
        String output = new String(training.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(training.waitFor(2, TimeUnit.MINUTES));

        assertEquals(0, training.exitValue(), output);
        try (var left = Files.list(temporary)) {
            assertEquals(List.of(), left.filter(path -> path.getFileName().toString().startsWith("s3ite-training"))
                    .toList(), "the training directory is removed");
        }
    }
}
