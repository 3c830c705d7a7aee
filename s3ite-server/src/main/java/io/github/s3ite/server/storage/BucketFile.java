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
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One bucket: one SQLite file. Every mutation is one transaction; every read sees one snapshot.
 *
 * <p>The file holds the original s3ite's three tables, unchanged ({@code data},
 * {@code multipart_upload}, {@code multipart_upload_part}), and five of ours that the original
 * ignores: {@code object_attributes} (ETag of multipart objects, Content-Type and the other system
 * headers, the flexible checksum, parts count, tags as a JSON object), {@code multipart_upload_attributes}
 * (what CreateMultipartUpload asked the final object to carry) and
 * {@code multipart_upload_part_checksum}, {@code object_part} (the part boundaries of an object
 * completed from parts) and {@code multipart_upload_completed} (the answers of the last day's
 * completions). An {@code object_attributes} or {@code object_part} row counts only while its
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
    private final ObjectPartTable partTable;
    private final CompletedUploadTable completedUploads = new CompletedUploadTable();

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
        this.partTable = new ObjectPartTable(readOnly ? connections.read(c -> hasTable(c, "object_part")) : true);
    }

    private static boolean hasTable(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
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

    /**
     * Reads part {@code partNumber} of an object in one snapshot. {@code read} sees the object and
     * where the part lies (the part is null when there is no such part; an object not completed from
     * parts has the whole object as part 1); it may throw (304, 412, 416) and says whether the part's
     * bytes are wanted.
     *
     * @throws S3Exception NoSuchKey
     */
    public ObjectPartContent getObjectPart(String key, int partNumber, Predicate<ObjectPartContent> read) {
        return connections.read(connection -> {
            ObjectInfo info = objects.info(connection, key);
            if (info == null) {
                throw noSuchKey(key);
            }
            int count = partTable.count(connection, key);
            ObjectPart part;
            if (count == 0) {
                part = partNumber == 1 ? new ObjectPart(1, 0, info.size(), info.etag(), null) : null;
            } else {
                part = partTable.part(connection, info, partNumber);
            }
            ObjectPartContent located = new ObjectPartContent(info, count, part, null);
            if (!read.test(located) || part == null) {
                return located;
            }
            byte[] bytes = part.size() == 0 ? new byte[0] : objects.value(connection, key, part.slice(), info.size());
            return new ObjectPartContent(info, count, part, bytes);
        });
    }

    /**
     * The object and a page of its parts numbered above {@code partNumberMarker}, in one snapshot.
     *
     * @throws S3Exception NoSuchKey
     */
    public ObjectPartsPage objectParts(String key, int partNumberMarker, int maxParts) {
        return connections.read(connection -> {
            ObjectInfo info = objects.info(connection, key);
            if (info == null) {
                throw noSuchKey(key);
            }
            int count = partTable.count(connection, key);
            List<ObjectPart> page = partTable.list(connection, info, partNumberMarker, maxParts + 1);
            boolean truncated = page.size() > maxParts;
            if (truncated) {
                page = page.subList(0, maxParts);
            }
            int next = page.isEmpty() ? partNumberMarker : page.get(page.size() - 1).partNumber();
            return new ObjectPartsPage(info, count, List.copyOf(page), truncated, next);
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

    /**
     * Deletes an object in one transaction; {@code precondition} sees the current object (or null)
     * inside it and may refuse by throwing, which keeps the object.
     *
     * @return whether the key existed
     */
    public boolean deleteObject(String key, Consumer<ObjectInfo> precondition) {
        if (precondition == null) {
            return deleteObject(key);
        }
        return write(connection -> {
            precondition.accept(objects.info(connection, key));
            return objects.delete(connection, key);
        });
    }

    /**
     * Deletes many keys in one transaction, each whose precondition (null for none) holds: it sees
     * the current object (or null) and may refuse by throwing, which keeps that object only.
     *
     * @return per key, in order: null when deleted or absent, else why it was kept
     */
    public List<S3Exception> deleteObjects(List<String> keys, List<Consumer<ObjectInfo>> preconditions) {
        return write(connection -> {
            List<S3Exception> outcomes = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                Consumer<ObjectInfo> precondition = preconditions.get(i);
                S3Exception refused = null;
                if (precondition != null) {
                    try {
                        precondition.accept(objects.info(connection, keys.get(i)));
                    } catch (S3Exception e) {
                        refused = e;
                    }
                }
                if (refused == null) {
                    objects.delete(connection, keys.get(i));
                }
                outcomes.add(refused);
            }
            return outcomes;
        });
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
        UploadTables.PartSizes sizes = connections.read(connection -> {
            if (completedUploads.find(connection, uploadId, key) != null) {
                return new UploadTables.PartSizes(0, 0);
            }
            return uploads.storedSizes(connection, uploads.require(connection, uploadId, key), parts);
        });
        if (sizes.total() > MAX_OBJECT_SIZE) {
            throw UploadTables.entityTooLarge(sizes.total());
        }
        return sizes.total() + sizes.largest();
    }

    /**
     * Checks the named parts, joins them into the object and removes the upload, in one transaction.
     * An upload completed in the last day answers again what its completion answered.
     *
     * @param precondition sees the current object (or null) and when the upload was initiated, and
     *                     may refuse by throwing; a refusal with ConditionalRequestConflict also
     *                     removes the upload, as S3 does
     * @param wholeChecksum the checksum of the whole object the client sent with the request, or null
     * @throws S3Exception NoSuchUpload, InvalidPartOrder, InvalidPart, EntityTooSmall, BadDigest, or
     *                     what {@code precondition} throws
     */
    public ObjectInfo completeMultipartUpload(String uploadId, String key, List<CompletedPart> parts,
                                              BiConsumer<ObjectInfo, Instant> precondition,
                                              StoredChecksum wholeChecksum) {
        S3Exception[] conflict = new S3Exception[1];
        ObjectInfo result = write(connection -> {
            ObjectInfo previous = completedUploads.find(connection, uploadId, key);
            if (previous != null) {
                return previous;
            }
            UploadInfo upload = uploads.require(connection, uploadId, key);
            if (precondition != null) {
                try {
                    precondition.accept(objects.info(connection, key), upload.initiated());
                } catch (S3Exception e) {
                    if (e.error() != S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT) {
                        throw e;
                    }
                    uploads.delete(connection, uploadId);
                    conflict[0] = e;
                    return null;
                }
            }
            UploadTables.Assembled assembled = uploads.assemble(connection, upload, parts);
            WholeObjectChecksum.verify(wholeChecksum, assembled, upload);
            NewObject object = new NewObject(key, assembled.value(), upload.userMetadata(), upload.headers(),
                    assembled.checksum(), upload.tags());
            ObjectInfo stored = objects.write(connection, object, assembled.md5(), assembled.etag(), parts.size());
            partTable.write(connection, key, Timestamps.format(stored.lastModified()), assembled.parts());
            uploads.delete(connection, uploadId);
            completedUploads.remember(connection, uploadId, stored);
            return stored;
        });
        if (conflict[0] != null) {
            throw conflict[0];
        }
        return result;
    }

    /** Deletes every object and upload, in one transaction. */
    void clear() {
        write(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM multipart_upload");
                statement.executeUpdate("DELETE FROM multipart_upload_completed");
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
