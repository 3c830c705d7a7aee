package io.github.s3ite.junit;

import io.github.s3ite.server.S3iteServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The buckets a failed test left, copied aside before the next test resets them: the
 * {@code .sqlite3} files are the best failure report there is.
 */
final class FailedTestBuckets {
    static final String REPORT_ENTRY = "s3ite.failedTestBuckets";

    private FailedTestBuckets() {
    }

    /** A new directory holding a consistent copy of every bucket; null (and a note) when copying fails. */
    static Path copy(S3iteServer server, ExtensionContext context) {
        if (!server.isRunning()) {
            return null;
        }
        String test = context.getTestMethod().map(method -> method.getName()).orElse(context.getDisplayName());
        try {
            Path directory = Files.createTempDirectory("s3ite-failed-" + test.replaceAll("[^A-Za-z0-9._-]", "_") + "-");
            for (String bucket : server.getBucketNames()) {
                server.snapshot(bucket, directory.resolve(bucket + ".sqlite3"));
            }
            return directory.toAbsolutePath();
        } catch (IOException | RuntimeException e) {
            // The test's own failure is what matters; a missing copy must not hide it.
            System.err.println("s3ite: could not copy the buckets of the failed test " + context.getDisplayName() + ": " + e);
            return null;
        }
    }
}
