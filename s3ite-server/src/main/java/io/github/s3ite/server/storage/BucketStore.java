package io.github.s3ite.server.storage;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The data directory: every {@code <bucket>.sqlite3} in it is a bucket. Bucket names are checked
 * against S3's rules before a path is built from them.
 */
public final class BucketStore implements AutoCloseable {
    static final String SUFFIX = ".sqlite3";
    private static final Logger LOG = Logger.getLogger(BucketStore.class.getName());

    private final Path directory;
    private final boolean readOnly;
    private final boolean fsync;
    private final RangeCache rangeCache;
    /** Written under this store's lock; read without it by {@link #bucket}, which every request calls. */
    private final Map<String, BucketFile> open = new ConcurrentHashMap<>();
    private final Map<String, Restored> restored = new HashMap<>();
    private boolean closed;

    /** What a bucket was last restored from, to skip copying a seed over an unchanged copy of it. */
    private record Restored(Path seed, FileTime seedModified, long seedSize, BucketFile file, long modifications) {
    }

    /**
     * A store whose commits are fsynced before they return (SQLite {@code synchronous=FULL}): they
     * survive an OS crash or power loss.
     */
    public BucketStore(Path dataDirectory, boolean readOnly) {
        this(dataDirectory, readOnly, true);
    }

    /**
     * @param fsync false for data that need only survive a crash of this process, such as a
     *              temporary directory of a test: commits are then not fsynced
     *              ({@code synchronous=OFF}) and do not survive a crash of the OS or a power loss
     */
    public BucketStore(Path dataDirectory, boolean readOnly, boolean fsync) {
        this(dataDirectory, readOnly, fsync, RangeCache.OFF);
    }

    /** Like {@link #BucketStore(Path, boolean, boolean)}, its buckets keeping large values read for ranges in {@code rangeCache}. */
    public BucketStore(Path dataDirectory, boolean readOnly, boolean fsync, RangeCache rangeCache) {
        this.directory = dataDirectory.toAbsolutePath().normalize();
        this.readOnly = readOnly;
        this.fsync = fsync;
        this.rangeCache = rangeCache;
        try {
            if (!readOnly) {
                Files.createDirectories(directory);
            } else if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("Data directory not found: " + directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + directory, e);
        }
    }

    public Path dataDirectory() {
        return directory;
    }

    private Path fileOf(String name) {
        BucketNames.validate(name);
        return directory.resolve(name + SUFFIX);
    }

    /** Every bucket, sorted by name. */
    public synchronized List<BucketInfo> listBuckets() {
        List<BucketInfo> buckets = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                String name = fileName.substring(0, fileName.length() - SUFFIX.length());
                if (BucketNames.isValid(name) && Files.isRegularFile(file)) {
                    buckets.add(new BucketInfo(name, creationTime(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buckets.sort(Comparator.comparing(BucketInfo::name));
        return buckets;
    }

    private static Instant creationTime(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        FileTime created = attributes.creationTime();
        return (created != null ? created : attributes.lastModifiedTime()).toInstant();
    }

    public synchronized boolean exists(String name) {
        return BucketNames.isValid(name) && Files.isRegularFile(directory.resolve(name + SUFFIX));
    }

    /** @throws S3Exception InvalidBucketName, NoSuchBucket */
    public BucketFile bucket(String name) {
        // only a valid name is ever a key of the map, so an open bucket needs neither check nor lock
        BucketFile bucket = open.get(name);
        return bucket != null ? bucket : openBucket(name);
    }

    private synchronized BucketFile openBucket(String name) {
        if (closed) {
            // such as a lifecycle run that outlived its server's stop: it must not reopen a file
            throw new IllegalStateException("The bucket store of " + directory + " is closed");
        }
        Path file = fileOf(name);
        BucketFile bucket = open.get(name);
        if (bucket != null) {
            return bucket;
        }
        if (!Files.isRegularFile(file)) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).with("BucketName", name);
        }
        bucket = BucketFile.open(name, file, readOnly, fsync, rangeCache);
        open.put(name, bucket);
        return bucket;
    }

    /** @throws S3Exception InvalidBucketName, BucketAlreadyOwnedByYou */
    public synchronized void createBucket(String name) {
        Path file = fileOf(name);
        refuseWhenReadOnly();
        if (Files.exists(file)) {
            throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU).with("BucketName", name);
        }
        open.put(name, BucketFile.open(name, file, false, fsync, rangeCache));
    }

    /** @throws S3Exception NoSuchBucket, BucketNotEmpty */
    public synchronized void deleteBucket(String name) {
        refuseWhenReadOnly();
        BucketFile bucket = bucket(name);
        if (!bucket.isEmpty()) {
            throw new S3Exception(S3ErrorCode.BUCKET_NOT_EMPTY).with("BucketName", name);
        }
        dropBucket(name);
    }

    /** Deletes a bucket whatever it holds: its file, and any -wal and -shm beside it. */
    public synchronized void dropBucket(String name) {
        Path file = fileOf(name);
        refuseWhenReadOnly();
        closeBucket(name);
        restored.remove(name);
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(sibling(file, "-wal"));
            Files.deleteIfExists(sibling(file, "-shm"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + file, e);
        }
    }

    /** An empty bucket of that name: created, or emptied when it exists. */
    public synchronized void resetBucket(String name) {
        Path file = fileOf(name);
        refuseWhenReadOnly();
        restored.remove(name);
        if (!Files.exists(file)) {
            open.put(name, BucketFile.open(name, file, false, fsync, rangeCache));
            return;
        }
        BucketFile bucket = bucket(name);
        if (bucket.modifications() > 0 || !bucket.isEmpty()) {
            bucket.clear();
        }
    }

    /** What {@link #createBucketFrom} did to bring a bucket to its seed's content. */
    public enum SeedRestore {
        /** Nothing: the bucket was restored from the same unchanged seed and not written since. */
        UNTOUCHED,
        /** Put back, in place, the seed's rows of the rows changed since the bucket was restored. */
        CHANGES_UNDONE,
        /** Copied the seed file over the bucket's file. */
        COPIED
    }

    /**
     * Makes bucket {@code name} a copy of {@code seed} (never written), replacing the bucket of that
     * name. A bucket restored from the same unchanged seed is brought back in place: left as it is
     * when not written since, or its changed rows put back from the seed (see {@link ChangeLog}).
     * The seed is copied otherwise, and when that would cost less.
     *
     * @throws IllegalArgumentException when the seed is not an SQLite file with a {@code data} table
     */
    public synchronized SeedRestore createBucketFrom(String name, Path seed) {
        Path file = fileOf(name);
        refuseWhenReadOnly();
        try {
            FileTime seedModified = Files.getLastModifiedTime(seed);
            long seedSize = Files.size(seed);
            Restored previous = restored.get(name);
            BucketFile current = open.get(name);
            String why = "not restored from it since opened, or deleted since";
            if (previous != null && current != null && previous.file() == current
                    && previous.seed().equals(seed.toAbsolutePath()) && previous.seedModified().equals(seedModified)
                    && previous.seedSize() == seedSize) {
                long start = System.nanoTime();
                ChangeLog.Undo undo;
                try {
                    undo = current.undoChanges(previous.modifications());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Undoing the changes of bucket " + name + " failed; copying its seed", e);
                    undo = ChangeLog.Undo.declined(0, "undoing failed: " + e.getMessage());
                }
                if (undo.done()) {
                    long rows = undo.rows();
                    restored.put(name, new Restored(previous.seed(), seedModified, seedSize, current,
                            current.modifications()));
                    if (undo.untouched()) {
                        return SeedRestore.UNTOUCHED;
                    }
                    LOG.fine(() -> String.format(Locale.ROOT, "bucket %s: %d changed rows put back from %s in %.1f ms",
                            name, rows, seed, (System.nanoTime() - start) / 1e6));
                    return SeedRestore.CHANGES_UNDONE;
                }
                why = undo.declined();
            } else if (previous != null) {
                why = "the bucket or its seed was replaced";
            }
            long start = System.nanoTime();
            closeBucket(name);
            Files.deleteIfExists(sibling(file, "-wal"));
            Files.deleteIfExists(sibling(file, "-shm"));
            copy(seed, file);
            BucketFile bucket;
            try {
                bucket = BucketFile.open(name, file, false, fsync, rangeCache);
                bucket.isEmpty();
            } catch (RuntimeException e) {
                Files.deleteIfExists(file);
                throw new IllegalArgumentException("Seed file is not an s3ite bucket file: " + seed.toAbsolutePath()
                        + " (" + e.getMessage() + ")", e);
            }
            try {
                bucket.logChangesSince(seed);
            } catch (RuntimeException e) {
                // its resets copy the seed, as they always did
                LOG.log(Level.WARNING, "Cannot log the changes of bucket " + name + "; each reset copies its seed", e);
            }
            open.put(name, bucket);
            restored.put(name, new Restored(seed.toAbsolutePath(), seedModified, seedSize, bucket, bucket.modifications()));
            String reason = why;
            LOG.fine(() -> String.format(Locale.ROOT, "bucket %s: %s copied (%s) in %.1f ms", name, seed, reason,
                    (System.nanoTime() - start) / 1e6));
            return SeedRestore.COPIED;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the seed file " + seed.toAbsolutePath(), e);
        }
    }

    /** Copies with the kernel's file-to-file transfer where there is one, not through a Java buffer. */
    private static void copy(Path source, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            long position = 0;
            while (position < size) {
                position += in.transferTo(position, size - position, out);
            }
        }
    }

    /** Writes a consistent copy of a bucket to {@code target}, a new file. */
    public void snapshot(String name, Path target) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException("Snapshot target exists already: " + target.toAbsolutePath());
        }
        BucketFile bucket;
        synchronized (this) {
            bucket = bucket(name);
        }
        bucket.snapshot(target);
    }

    private void closeBucket(String name) {
        BucketFile bucket = open.remove(name);
        if (bucket != null) {
            bucket.close();
        }
    }

    private void refuseWhenReadOnly() {
        if (readOnly) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "This s3ite server is read-only.");
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** Closes every bucket file; each is checkpointed, so no -wal is left behind. */
    @Override
    public synchronized void close() {
        closed = true;
        for (BucketFile bucket : open.values()) {
            bucket.close();
        }
        open.clear();
        restored.clear();
    }
}
