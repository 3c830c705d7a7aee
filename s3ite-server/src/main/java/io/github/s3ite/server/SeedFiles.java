package io.github.s3ite.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Checks a seed file early, so a bad one fails with its name rather than deep inside a request. */
final class SeedFiles {
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private SeedFiles() {
    }

    static Path check(Path seed) {
        if (seed == null) {
            throw new IllegalArgumentException("seed file must not be null");
        }
        if (!Files.isRegularFile(seed)) {
            throw new IllegalArgumentException("Seed file not found: " + seed.toAbsolutePath());
        }
        try (InputStream in = Files.newInputStream(seed)) {
            byte[] header = in.readNBytes(SQLITE_HEADER.length);
            if (!Arrays.equals(header, SQLITE_HEADER)) {
                throw new IllegalArgumentException("Seed file is not an SQLite database: " + seed.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Seed file cannot be read: " + seed.toAbsolutePath() + " (" + e.getMessage() + ")", e);
        }
        return seed;
    }
}
