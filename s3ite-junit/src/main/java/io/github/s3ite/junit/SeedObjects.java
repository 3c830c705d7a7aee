package io.github.s3ite.junit;

import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.ListPage;
import io.github.s3ite.server.storage.ObjectHeaders;
import io.github.s3ite.server.storage.ObjectInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The objects of a seed file, read with the server's own storage code, for uploading to an
 * external endpoint. The seed is read from a copy, so that not even SQLite's side files touch it.
 */
final class SeedObjects {
    /**
     * One object of a seed.
     *
     * @param md5 lower-case hex MD5 of {@code value}: the ETag a single PutObject gets
     */
    record SeedObject(String key, byte[] value, String md5, Map<String, String> userMetadata, ObjectHeaders headers) {
    }

    private SeedObjects() {
    }

    /** Every object of the seed, by key; an empty map for a null seed (an empty bucket). */
    static Map<String, SeedObject> read(Path seed) {
        Map<String, SeedObject> objects = new LinkedHashMap<>();
        if (seed == null) {
            return objects;
        }
        Path copy = null;
        try {
            copy = Files.createTempFile("s3ite-seed-", ".sqlite3");
            Files.copy(seed, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (BucketFile bucket = BucketFile.open("seed", copy, true)) {
                String after = null;
                ListPage page;
                do {
                    page = bucket.listObjects(null, null, after, 1000);
                    for (ObjectInfo object : page.objects()) {
                        byte[] value = bucket.getObject(object.key()).bytes();
                        objects.put(object.key(), new SeedObject(object.key(), value, md5(value),
                                object.userMetadata(), object.headers()));
                    }
                    after = page.lastEntry();
                } while (page.truncated());
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException("s3ite: cannot read the seed file " + seed.toAbsolutePath(), e);
        } catch (RuntimeException e) {
            throw new ExtensionConfigurationException("s3ite: cannot read the seed file " + seed.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(copy);
        }
    }

    private static String md5(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path copy) {
        if (copy == null) {
            return;
        }
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(Path.of(copy + suffix));
            } catch (IOException e) {
                // a temporary file left behind is no reason to fail a test
            }
        }
    }
}
