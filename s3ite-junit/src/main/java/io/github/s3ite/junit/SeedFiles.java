package io.github.s3ite.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Finds a seed file: on the test classpath first, then relative to the working directory. */
final class SeedFiles {
    /**
     * Seeds read out of jars, by URL: extracted once per JVM, so that the server sees the same
     * unchanged file before every test and can skip restoring a bucket nobody wrote.
     */
    private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

    private SeedFiles() {
    }

    static Path locate(String seed) {
        String resource = seed.startsWith("/") ? seed.substring(1) : seed;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        URL url = loader == null ? null : loader.getResource(resource);
        if (url != null) {
            if ("file".equals(url.getProtocol())) {
                try {
                    return Path.of(url.toURI());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // fall through to copying it out
                }
            }
            return EXTRACTED.computeIfAbsent(url.toString(), key -> copyOut(url, seed));
        }
        Path path = Path.of(seed);
        if (Files.isRegularFile(path)) {
            return path;
        }
        throw new ExtensionConfigurationException("s3ite seed file not found: '" + seed
                + "' (looked on the test classpath and at " + path.toAbsolutePath() + ")");
    }

    /** A seed inside a jar is copied to a temporary file: SQLite needs a file. */
    private static Path copyOut(URL url, String seed) {
        try (InputStream in = url.openStream()) {
            Path copy = Files.createTempFile("s3ite-seed-", ".sqlite3");
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the s3ite seed file " + seed + " from " + url, e);
        }
    }
}
