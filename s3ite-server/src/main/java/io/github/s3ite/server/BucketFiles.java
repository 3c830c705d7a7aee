package io.github.s3ite.server;

import io.github.s3ite.server.checksum.ChecksumType;
import io.github.s3ite.server.checksum.ChecksumAlgorithm;
import io.github.s3ite.server.checksum.ChecksumDigest;
import io.github.s3ite.server.checksum.Checksums;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.ListPage;
import io.github.s3ite.server.storage.NewObject;
import io.github.s3ite.server.storage.ObjectHeaders;
import io.github.s3ite.server.storage.ObjectInfo;
import io.github.s3ite.server.storage.StoredChecksum;
import io.github.s3ite.server.storage.WriteCondition;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Making and reading seed files without a server: a directory into a bucket file, a bucket file
 * into a directory, and a listing for humans. The same as {@code s3ite import}, {@code export}
 * and {@code inspect}.
 */
public final class BucketFiles {
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("json", "application/json"), Map.entry("csv", "text/csv"), Map.entry("md", "text/markdown"),
            Map.entry("yaml", "application/yaml"), Map.entry("yml", "application/yaml"), Map.entry("js", "text/javascript"),
            Map.entry("css", "text/css"), Map.entry("svg", "image/svg+xml"), Map.entry("webp", "image/webp"),
            Map.entry("mp4", "video/mp4"), Map.entry("parquet", "application/vnd.apache.parquet"),
            Map.entry("gz", "application/gzip"), Map.entry("zip", "application/zip"), Map.entry("pdf", "application/pdf"),
            Map.entry("txt", "text/plain"), Map.entry("html", "text/html"), Map.entry("xml", "application/xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"));

    private BucketFiles() {
    }

    /** How many objects and bytes an import or export moved. */
    public record Summary(long objects, long bytes) {
    }

    /**
     * Every regular file under {@code directory} becomes an object of the bucket file {@code target}
     * (created when missing; existing keys are replaced): key = path relative to the directory with
     * '/' separators, content type guessed from the file name.
     */
    public static Summary importDirectory(Path directory, Path target) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("Not a directory: " + directory.toAbsolutePath());
        }
        long objects = 0;
        long bytes = 0;
        try (BucketFile bucket = BucketFile.open(bucketName(target), target, false);
             Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                String key = directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                byte[] value = Files.readAllBytes(file);
                ObjectHeaders headers = new ObjectHeaders(contentType(key), null, null, null, null, null);
                bucket.putObject(new NewObject(key, value, Map.of(), headers, crc64(value), Map.of()), WriteCondition.NONE);
                objects++;
                bytes += value.length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Summary(objects, bytes);
    }

    /** Writes every object of a bucket file under {@code directory}; keys ending in '/' become directories. */
    public static Summary exportBucket(Path source, Path directory) {
        requireFile(source);
        long objects = 0;
        long bytes = 0;
        Path root = directory.toAbsolutePath().normalize();
        try (BucketFile bucket = BucketFile.open(bucketName(source), source, true)) {
            String after = null;
            ListPage page;
            do {
                page = bucket.listObjects(null, null, after, 1000);
                for (ObjectInfo object : page.objects()) {
                    Path target = root.resolve(object.key()).normalize();
                    if (!target.startsWith(root)) {
                        throw new IllegalArgumentException("Key would leave the target directory: " + object.key());
                    }
                    if (object.key().endsWith("/")) {
                        Files.createDirectories(target);
                    } else {
                        byte[] value = bucket.getObject(object.key()).bytes();
                        Files.createDirectories(target.getParent());
                        Files.write(target, value);
                        bytes += value.length;
                    }
                    objects++;
                }
                after = page.lastEntry();
            } while (page.truncated());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Summary(objects, bytes);
    }

    /** Prints each key with its size, then the count and total. */
    public static Summary inspect(Path source, PrintWriter out) {
        requireFile(source);
        long objects = 0;
        long bytes = 0;
        try (BucketFile bucket = BucketFile.open(bucketName(source), source, true)) {
            String after = null;
            ListPage page;
            do {
                page = bucket.listObjects(null, null, after, 1000);
                for (ObjectInfo object : page.objects()) {
                    out.printf(Locale.ROOT, "%12d  %s  %s%n", object.size(), object.lastModified(), object.key());
                    objects++;
                    bytes += object.size();
                }
                after = page.lastEntry();
            } while (page.truncated());
        }
        out.printf(Locale.ROOT, "%d objects, %d bytes%n", objects, bytes);
        return new Summary(objects, bytes);
    }

    static String contentType(String key) {
        int dot = key.lastIndexOf('.');
        String extension = dot < 0 ? "" : key.substring(dot + 1).toLowerCase(Locale.ROOT);
        String known = CONTENT_TYPES.get(extension);
        if (known != null) {
            return known;
        }
        String guessed = URLConnection.guessContentTypeFromName(key);
        return guessed != null ? guessed : "application/octet-stream";
    }

    private static StoredChecksum crc64(byte[] value) {
        ChecksumDigest digest = ChecksumAlgorithm.CRC64NVME.newDigest();
        digest.update(value, 0, value.length);
        return new StoredChecksum(ChecksumAlgorithm.CRC64NVME.name(), Checksums.base64(digest.digest()), ChecksumType.FULL_OBJECT);
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Bucket file not found: " + file.toAbsolutePath());
        }
    }

    /** The bucket a file would serve as: its name without {@code .sqlite3}. */
    private static String bucketName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".sqlite3") ? name.substring(0, name.length() - ".sqlite3".length()) : name;
    }

}
