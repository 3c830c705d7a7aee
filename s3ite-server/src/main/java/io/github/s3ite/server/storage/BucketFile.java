package io.github.s3ite.server.storage;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One bucket: one SQLite file. Every mutation is one transaction; every read sees one snapshot.
 *
 * <p>The file holds the original s3ite's three tables, unchanged ({@code data},
 * {@code multipart_upload}, {@code multipart_upload_part}), and three of ours that the original
 * ignores: {@code object_attributes} (ETag of multipart objects, Content-Type and the other system
 * headers, the flexible checksum, parts count, tags as a JSON object), {@code multipart_upload_attributes}
 * (what CreateMultipartUpload asked the final object to carry) and
 * {@code multipart_upload_part_checksum}. An {@code object_attributes} row counts only while its
 * {@code last_modified} equals the object's.
 */
public final class BucketFile implements AutoCloseable {
    /** The largest object: SQLite's default maximum length of a BLOB. */
    public static final long MAX_OBJECT_SIZE = 1_000_000_000L;

    private final String name;
    private final Path file;
    private final Connections connections;
    private final boolean hasOurTables;
    private final AtomicLong modifications = new AtomicLong();
    private final ObjectTable objects;
    private final UploadTables uploads;

    private BucketFile(String name, Path file, boolean readOnly, boolean fsync) {
        this.name = name;
        this.file = file;
        this.connections = new Connections(file, readOnly, fsync);
        try {
            this.hasOurTables = readOnly ? connections.read(BucketFile::hasOurTables) : connections.write(connection -> {
                try (Statement statement = connection.createStatement()) {
                    for (String ddl : Schema.ORIGINAL) {
                        statement.execute(ddl);
                    }
                    for (String ddl : Schema.OURS) {
                        statement.execute(ddl);
                    }
                }
                return true;
            });
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
        this.objects = new ObjectTable(hasOurTables);
        this.uploads = new UploadTables(name, hasOurTables);
    }

    /**
     * Opens (creating when missing and writable) the bucket file {@code file}, serving it as bucket
     * {@code name}; each commit is fsynced before it returns (SQLite {@code synchronous=FULL}), so it
     * survives an OS crash or power loss.
     */
    public static BucketFile open(String name, Path file, boolean readOnly) {
        return new BucketFile(name, file, readOnly, true);
    }

    /**
     * Like {@link #open(String, Path, boolean)}; without {@code fsync} nothing is fsynced
     * ({@code synchronous=OFF}): commits survive a crash of this process, not of the OS.
     */
    public static BucketFile open(String name, Path file, boolean readOnly, boolean fsync) {
        return new BucketFile(name, file, readOnly, fsync);
    }

    private static boolean hasOurTables(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                        + "('object_attributes', 'multipart_upload_attributes', 'multipart_upload_part_checksum')")) {
             ResultSet rows = statement.executeQuery();
            return rows.next() && rows.getInt(1) == 3;
        }
    }

    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    /** How many mutations were committed since this file was opened. */
    public long modifications() {
        return modifications.get();
    }

    private <T> T write(Connections.SqlWork<T> work) {
        T result = connections.write(work);
        modifications.incrementAndGet();
        return result;
    }

    public boolean isEmpty() {
        return connections.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM data LIMIT 1")) {
                 ResultSet rows = statement.executeQuery();
                return !rows.next();
            }
        });
    }

    /**
     * Reads an object in one snapshot: {@code choose} sees its description and says which bytes to read
     * (it may throw, for 304, 412 or 416). An object of up to 1 MiB comes with its bytes in one
     * statement; a larger one is read in one transaction of two statements, its slice only.
     *
     * @throws S3Exception NoSuchKey
     */
    public ObjectContent getObject(String key, Function<ObjectInfo, ByteSlice> choose) {
        ObjectContent small = connections.readOutsideTransaction(connection -> {
            ObjectTable.Found found = objects.infoWithSmallValue(connection, key);
            if (found == null) {
                throw noSuchKey(key);
            }
            if (found.smallValue() == null) {
                return null;
            }
            ByteSlice slice = choose.apply(found.info());
            int from = (int) Math.min(slice.offset(), found.smallValue().length);
            int to = (int) Math.min(found.smallValue().length, slice.offset() + slice.length());
            return new ObjectContent(found.info(), slice.offset(), Arrays.copyOfRange(found.smallValue(), from, to));
        });
        if (small != null) {
            return small;
        }
        return connections.read(connection -> {
            ObjectInfo info = objects.info(connection, key);
            if (info == null) {
                throw noSuchKey(key);
            }
            ByteSlice slice = choose.apply(info);
            byte[] bytes = slice.length() == 0 ? new byte[0] : objects.value(connection, key, slice, info.size());
            return new ObjectContent(info, slice.offset(), bytes);
        });
    }

    /** @throws S3Exception NoSuchKey */
    public ObjectInfo headObject(String key) {
        ObjectInfo info = connections.read(connection -> objects.info(connection, key));
        if (info == null) {
            throw noSuchKey(key);
        }
        return info;
    }

    /**
     * Writes an object in one transaction; {@code precondition} sees the current object (or null)
     * inside it and may refuse by throwing. A null precondition skips looking the object up.
     */
    public ObjectInfo putObject(NewObject object, Consumer<ObjectInfo> precondition) {
        return write(connection -> {
            if (precondition != null) {
                precondition.accept(objects.info(connection, object.key()));
            }
            String md5 = HexFormat.of().formatHex(Digests.md5(object.value()));
            return objects.write(connection, object, md5, md5, 0);
        });
    }

    /** @return whether the key existed */
    public boolean deleteObject(String key) {
        return write(connection -> objects.delete(connection, key));
    }

    /** Deletes many keys in one transaction; returns those that existed. */
    public List<String> deleteObjects(List<String> keys) {
        return write(connection -> {
            List<String> deleted = new ArrayList<>();
            for (String key : keys) {
                if (objects.delete(connection, key)) {
                    deleted.add(key);
                }
            }
            return deleted;
        });
    }

    /**
     * One page of keys and common prefixes strictly after {@code startAfter}, in UTF-8 byte order,
     * found with key ranges on the primary key.
     */
    public ListPage listObjects(String prefix, String delimiter, String startAfter, int maxKeys) {
        return connections.read(connection -> objects.list(connection, prefix, delimiter, startAfter, maxKeys));
    }

    /** @throws S3Exception NoSuchKey */
    public Map<String, String> getTags(String key) {
        return headObject(key).tags();
    }

    /** Replaces the tag set; the object keeps its last-modified time. */
    public void putTags(String key, Map<String, String> tags) {
        write(connection -> {
            if (!objects.setTags(connection, key, tags)) {
                throw noSuchKey(key);
            }
            return null;
        });
    }

    public void deleteTags(String key) {
        putTags(key, Map.of());
    }

    public UploadInfo createMultipartUpload(String key, Map<String, String> userMetadata, ObjectHeaders headers,
                                            Map<String, String> tags, String checksumAlgorithm, String checksumType,
                                            String accessKey) {
        return write(connection -> uploads.create(connection, key, userMetadata, headers, tags, checksumAlgorithm,
                checksumType, accessKey));
    }

    /** @throws S3Exception NoSuchUpload when absent or started for another key */
    public UploadInfo getUpload(String uploadId, String key) {
        return connections.read(connection -> uploads.require(connection, uploadId, key));
    }

    /** Stores a part, replacing one of the same number. */
    public PartInfo uploadPart(String uploadId, String key, int partNumber, byte[] value, StoredChecksum checksum) {
        return write(connection -> {
            uploads.require(connection, uploadId, key);
            return uploads.putPart(connection, uploadId, partNumber, value, checksum);
        });
    }

    public PartsPage listParts(String uploadId, String key, int partNumberMarker, int maxParts) {
        return connections.read(connection -> {
            UploadInfo upload = uploads.require(connection, uploadId, key);
            return uploads.listParts(connection, upload, partNumberMarker, maxParts);
        });
    }

    public UploadsPage listMultipartUploads(String prefix, String delimiter, String keyMarker, String uploadIdMarker,
                                            int maxUploads) {
        return connections.read(connection -> uploads.list(connection, prefix, delimiter, keyMarker, uploadIdMarker,
                maxUploads));
    }

    /** @throws S3Exception NoSuchUpload */
    public void abortMultipartUpload(String uploadId, String key) {
        write(connection -> {
            uploads.require(connection, uploadId, key);
            uploads.delete(connection, uploadId);
            return null;
        });
    }

    /**
     * The bytes completing an upload from {@code parts} holds in memory at its peak: the object
     * being assembled and the part being copied into it. Read from the parts' recorded sizes.
     *
     * @throws S3Exception NoSuchUpload; EntityTooLarge when the object would exceed {@link #MAX_OBJECT_SIZE}
     */
    public long completionMemory(String uploadId, String key, List<CompletedPart> parts) {
        UploadTables.PartSizes sizes = connections.read(connection ->
                uploads.storedSizes(connection, uploads.require(connection, uploadId, key), parts));
        if (sizes.total() > MAX_OBJECT_SIZE) {
            throw UploadTables.entityTooLarge(sizes.total());
        }
        return sizes.total() + sizes.largest();
    }

    /**
     * Checks the named parts, joins them into the object and removes the upload, in one transaction.
     *
     * @throws S3Exception NoSuchUpload, InvalidPartOrder, InvalidPart, EntityTooSmall, or what
     *                     {@code precondition} throws
     */
    public ObjectInfo completeMultipartUpload(String uploadId, String key, List<CompletedPart> parts,
                                              Consumer<ObjectInfo> precondition) {
        return write(connection -> {
            UploadInfo upload = uploads.require(connection, uploadId, key);
            if (precondition != null) {
                precondition.accept(objects.info(connection, key));
            }
            UploadTables.Assembled assembled = uploads.assemble(connection, upload, parts);
            NewObject object = new NewObject(key, assembled.value(), upload.userMetadata(), upload.headers(),
                    assembled.checksum(), upload.tags());
            ObjectInfo stored = objects.write(connection, object, assembled.md5(), assembled.etag(), parts.size());
            uploads.delete(connection, uploadId);
            return stored;
        });
    }

    /** Deletes every object and upload, in one transaction. */
    void clear() {
        write(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM multipart_upload");
                statement.executeUpdate("DELETE FROM data");
            }
            return null;
        });
    }

    /** Writes a consistent copy of this file to {@code target}, which must not exist. */
    void snapshot(Path target) {
        connections.readOutsideTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("VACUUM INTO ?")) {
                statement.setString(1, target.toAbsolutePath().toString());
                statement.execute();
            }
            return null;
        });
    }

    /** Checkpoints the WAL into the file and closes every connection. */
    @Override
    public void close() {
        try {
            connections.checkpoint();
        } catch (RuntimeException e) {
            // closing below still releases the file; SQLite checkpoints on the last close too
        }
        connections.close();
    }

    static S3Exception noSuchKey(String key) {
        return new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", key);
    }

    static Instant now() {
        return Instant.now();
    }
}
