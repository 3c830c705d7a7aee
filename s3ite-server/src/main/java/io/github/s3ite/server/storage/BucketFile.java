package io.github.s3ite.server.storage;

import io.github.s3ite.server.checksum.ChecksumType;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.lifecycle.BucketVersioning;
import io.github.s3ite.server.lifecycle.KeyVersion;
import io.github.s3ite.server.lifecycle.LifecycleAction;
import io.github.s3ite.server.lifecycle.LifecycleConfiguration;
import io.github.s3ite.server.lifecycle.LifecycleOutcome;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bucket: one SQLite file. Every mutation is one transaction; every read sees one snapshot.
 *
 * <p>The file holds the original s3ite's three tables, unchanged ({@code data},
 * {@code multipart_upload}, {@code multipart_upload_part}), and tables of ours that the original
 * ignores: {@code object_attributes} (ETag of multipart objects, Content-Type and the other system
 * headers, the flexible checksum, parts count, tags as a JSON object), {@code multipart_upload_attributes}
 * (what CreateMultipartUpload asked the final object to carry) and
 * {@code multipart_upload_part_checksum}, {@code object_part} (the part boundaries of an object
 * completed from parts) and {@code multipart_upload_completed} (the answers of the last day's
 * completions). An {@code object_attributes} or {@code object_part} row counts only while its
 * {@code last_modified} equals the object's.
 *
 * <p>Versions: {@code data} holds each key's current version, as the original reads it;
 * {@code object_version} the others (non-current versions and delete markers), and
 * {@code bucket_configuration} the bucket's versioning state (and object lock configuration, and
 * the other bucket-level configurations, each as it is answered). A
 * key whose current version is a delete marker has no {@code data} row. The current version's id is
 * {@code object_attributes.version_id}. Object lock: {@code object_lock} by key and version id.
 * {@code object_part} holds the parts of the current version only: they go with its {@code data}
 * row, so any other version is served as one part.
 * Encryption: {@code object_encryption} by key and version id (no row: plain SSE-S3), the bucket
 * default under {@code encryption} in {@code bucket_configuration}; an SSE-C value, or part,
 * arrives here already encrypted and is stored as it comes. There is never a key here: an SSE-C
 * object completed from parts is its parts' ciphertext joined, each part a segment of its own.
 *
 * <p>Decisions come in as values and go out as values: a read is an {@link ObjectRead} answered
 * with a {@link ReadResult}; a write or delete carries a {@link WriteCondition} checked inside its
 * transaction; lifecycle rules come as a {@link LifecycleConfiguration}, which decides what falls
 * due. Nothing here calls back into the operations layer.
 */
public final class BucketFile implements AutoCloseable {
    /** The largest object: SQLite's default maximum length of a BLOB. */
    public static final long MAX_OBJECT_SIZE = 1_000_000_000L;

    private final String name;
    private final Path file;
    private final boolean readOnly;
    private final Connections connections;
    private final boolean hasOurTables;
    private final AtomicLong modifications = new AtomicLong();
    /**
     * Raised after every write transaction, committed or not, before the range cache forgets what
     * it may have changed: a value read in a snapshot taken before the count last moved is not
     * cached ({@link RangeCache.Load#complete}).
     */
    private final AtomicLong writes = new AtomicLong();
    private final RangeCache rangeCache;
    private final ObjectTable objects;
    private final UploadTables uploads;
    private final ObjectPartTable partTable;
    private final CompletedUploadTable completedUploads = new CompletedUploadTable();
    private final VersionTable versions;
    private final LockTable locks;
    private final EncryptionTable encryption;
    private final AclTable acls;
    private final ConfigurationTable configurations;
    /**
     * The generic configurations as last read or written: CORS rules are looked up for every
     * request that carries an Origin, so they are read from the file once, not per request. Every
     * change goes through this object; a bucket replaced from a seed is a new object, and one whose
     * changes are undone in place, or which is cleared, forgets them (see {@link #reload}).
     */
    private final java.util.Map<String, Optional<String>> configurationCache = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Versioning versioning;
    private volatile DefaultEncryption defaultEncryption;
    private volatile ObjectLockConfiguration lockConfiguration;
    /** The rows changed since this file was copied from a seed; null when not copied, or not followed. */
    private volatile ChangeLog changes;

    private BucketFile(String name, Path file, boolean readOnly, boolean fsync, RangeCache rangeCache) {
        this.name = name;
        this.file = file;
        this.readOnly = readOnly;
        this.rangeCache = rangeCache;
        this.connections = new Connections(file, readOnly, fsync);
        boolean hasVersions;
        try {
            this.hasOurTables = readOnly ? connections.read(BucketFile::hasOurTables) : connections.write(connection -> {
                try (Statement statement = connection.createStatement()) {
                    for (String ddl : Schema.ORIGINAL) {
                        statement.execute(ddl);
                    }
                    for (String ddl : Schema.OURS) {
                        statement.execute(ddl);
                    }
                    if (!hasVersionTables(connection)) {
                        statement.execute(Schema.ADD_VERSION_ID);
                    }
                    if (!hasColumn(connection, "multipart_upload_completed", "version_id")) {
                        statement.execute(Schema.ADD_COMPLETED_VERSION_ID);
                    }
                    for (String[] column : Schema.ADDED_COLUMNS) {
                        if (!hasColumn(connection, column[0], column[1])) {
                            statement.execute("ALTER TABLE " + column[0] + " ADD COLUMN " + column[1] + " " + column[2]);
                        }
                    }
                }
                return true;
            });
            hasVersions = hasOurTables && connections.read(BucketFile::hasVersionTables);
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
        this.objects = new ObjectTable(hasOurTables, hasVersions);
        this.uploads = new UploadTables(name, hasOurTables);
        this.partTable = new ObjectPartTable(readOnly ? connections.read(c -> hasTable(c, "object_part")) : true);
        this.versions = new VersionTable(objects, hasVersions);
        this.locks = new LockTable(hasVersions && connections.read(BucketFile::hasLockTables));
        this.configurations = new ConfigurationTable(connections.read(c -> hasTable(c, "bucket_configuration")));
        this.versioning = connections.read(versions::versioning);
        this.lockConfiguration = connections.read(locks::configuration);
        this.encryption = readOnly ? new EncryptionTable(connections.read(c -> hasTable(c, "object_encryption")),
                connections.read(c -> hasTable(c, "object_encryption_part")
                        && hasColumn(c, "multipart_upload_encryption", "customer_key_md5")))
                : new EncryptionTable(true, true);
        this.defaultEncryption = connections.read(encryption::configuration);
        this.acls = new AclTable(readOnly ? connections.read(c -> hasTable(c, "object_acl")) : true);
        connections.read(connection -> {
            encryption.learnRows(connection);
            acls.learnRows(connection);
            return null;
        });
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

    private static boolean hasColumn(Connection connection, String table, String column) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM pragma_table_info(?) WHERE name = ?")) {
            statement.setString(1, table);
            statement.setString(2, column);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static boolean hasLockTables(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM sqlite_master"
                + " WHERE type = 'table' AND name IN ('object_lock', 'multipart_upload_lock')")) {
            ResultSet rows = statement.executeQuery();
            return rows.next() && rows.getInt(1) == 2;
        }
    }

    /**
     * Opens (creating when missing and writable) the bucket file {@code file}, serving it as bucket
     * {@code name}; each commit is fsynced before it returns (SQLite {@code synchronous=FULL}), so it
     * survives an OS crash or power loss.
     */
    public static BucketFile open(String name, Path file, boolean readOnly) {
        return new BucketFile(name, file, readOnly, true, RangeCache.OFF);
    }

    /**
     * Like {@link #open(String, Path, boolean)}; without {@code fsync} nothing is fsynced
     * ({@code synchronous=OFF}): commits survive a crash of this process, not of the OS.
     */
    public static BucketFile open(String name, Path file, boolean readOnly, boolean fsync) {
        return new BucketFile(name, file, readOnly, fsync, RangeCache.OFF);
    }

    /**
     * Like {@link #open(String, Path, boolean, boolean)}, keeping large values read for ranges in
     * {@code rangeCache} (see {@link RangeCache}).
     */
    public static BucketFile open(String name, Path file, boolean readOnly, boolean fsync, RangeCache rangeCache) {
        return new BucketFile(name, file, readOnly, fsync, rangeCache);
    }

    private static boolean hasOurTables(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                        + "('object_attributes', 'multipart_upload_attributes', 'multipart_upload_part_checksum')")) {
             ResultSet rows = statement.executeQuery();
            return rows.next() && rows.getInt(1) == 3;
        }
    }

    /** Whether the version tables and {@code object_attributes.version_id} are there. */
    private static boolean hasVersionTables(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                        + " AND name IN ('object_version', 'bucket_configuration'))"
                        + " + (SELECT count(*) FROM pragma_table_info('object_attributes') WHERE name = 'version_id')")) {
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

    /** A write that may change any object of the bucket. */
    private <T> T write(Connections.SqlWork<T> work) {
        return write((List<String>) null, work);
    }

    /** A write that changes nothing of any key but {@code key} (its versions, tags, locks, ACLs, uploads). */
    private <T> T write(String key, Connections.SqlWork<T> work) {
        return write(List.of(key), work);
    }

    /** A write that changes nothing of any key but {@code keys}; null for any key. */
    private <T> T write(List<String> keys, Connections.SqlWork<T> work) {
        try {
            T result = connections.write(work);
            modifications.incrementAndGet();
            return result;
        } finally {
            written(keys);
        }
    }

    /**
     * After a write transaction ended, committed or not: the range cache forgets the values of
     * {@code keys} (null: of every key). Any change to the file's rows that does not go through
     * {@link #write} (a rollback of a reset, say) must call this too, once it is done.
     */
    void written(List<String> keys) {
        writes.incrementAndGet();
        rangeCache.written(this, keys);
    }

    public boolean isEmpty() {
        return connections.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM data LIMIT 1")) {
                ResultSet rows = statement.executeQuery();
                if (rows.next()) {
                    return false;
                }
            }
            return !versions.any(connection);
        });
    }

    /** The bucket's versioning state. */
    public Versioning versioning() {
        return versioning;
    }

    /**
     * Sets the bucket's versioning state (storage does not judge the change: a bucket is never made
     * unversioned again by the operations that call this).
     */
    public void setVersioning(Versioning state) {
        write(connection -> {
            if (lockConfiguration != null && state.status() != Versioning.Status.ENABLED) {
                throw new S3Exception(S3ErrorCode.INVALID_BUCKET_STATE,
                        "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
            }
            versions.setVersioning(connection, state);
            versioning = state;
            return null;
        });
    }

    /** The bucket's object lock configuration, or null when object lock is not enabled. */
    public ObjectLockConfiguration objectLockConfiguration() {
        return lockConfiguration;
    }

    /** The bucket's default encryption as set by PutBucketEncryption, or null when none was. */
    public DefaultEncryption defaultEncryption() {
        return defaultEncryption;
    }

    /** Sets (or, with null, removes) the bucket's default encryption, in one transaction. */
    public void setDefaultEncryption(DefaultEncryption configuration) {
        write(connection -> {
            encryption.setConfiguration(connection, configuration);
            defaultEncryption = configuration;
            return null;
        });
    }

    /** Turns object lock (and with it versioning) on, as CreateBucket with object lock does, in one transaction. */
    public void enableObjectLock() {
        write(connection -> {
            Versioning enabled = new Versioning(Versioning.Status.ENABLED, versioning.mfaDelete());
            versions.setVersioning(connection, enabled);
            locks.setConfiguration(connection, ObjectLockConfiguration.ENABLED);
            versioning = enabled;
            lockConfiguration = ObjectLockConfiguration.ENABLED;
            return null;
        });
    }

    /** @throws S3Exception InvalidBucketState unless versioning is enabled */
    public void setObjectLockConfiguration(ObjectLockConfiguration configuration) {
        write(connection -> {
            if (versioning.status() != Versioning.Status.ENABLED) {
                throw new S3Exception(S3ErrorCode.INVALID_BUCKET_STATE,
                        "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
            }
            locks.setConfiguration(connection, configuration);
            lockConfiguration = configuration;
            return null;
        });
    }

    /**
     * A bucket-level configuration kept in {@code bucket_configuration} under {@code name}, as it
     * is answered; null when the bucket has none. Versioning and object lock have methods of their own.
     */
    public String configuration(String name) {
        requireGenericConfiguration(name);
        return configurationCache.computeIfAbsent(name, missing -> Optional.ofNullable(
                connections.read(connection -> configurations.document(connection, missing)))).orElse(null);
    }

    /** Sets (replaces) the configuration {@code name}, in one transaction. */
    public void setConfiguration(String name, String document) {
        requireGenericConfiguration(name);
        write(connection -> {
            configurations.put(connection, name, document);
            return null;
        });
        configurationCache.put(name, Optional.of(document));
    }

    /**
     * Sets several configurations in one transaction: each name to its document, or, for a null
     * document, removes it.
     */
    public void setConfigurations(Map<String, String> documents) {
        documents.keySet().forEach(BucketFile::requireGenericConfiguration);
        write(connection -> {
            for (Map.Entry<String, String> document : documents.entrySet()) {
                if (document.getValue() == null) {
                    configurations.delete(connection, document.getKey());
                } else {
                    configurations.put(connection, document.getKey(), document.getValue());
                }
            }
            return null;
        });
        documents.forEach((name, document) -> configurationCache.put(name, Optional.ofNullable(document)));
    }

    /** Removes the configuration {@code name}; nothing happens when there is none. */
    public void deleteConfiguration(String name) {
        requireGenericConfiguration(name);
        write(connection -> {
            configurations.delete(connection, name);
            return null;
        });
        configurationCache.put(name, Optional.empty());
    }

    private static void requireGenericConfiguration(String name) {
        if (name.equals("versioning") || name.equals("object-lock")) {
            throw new IllegalArgumentException("'" + name + "' is kept by its own methods");
        }
    }

    /** The retention and legal hold of a version ({@link ObjectLock#NONE} when it has none). */
    public ObjectLock objectLock(String key, String versionId) {
        if (lockConfiguration == null) {
            return ObjectLock.NONE;
        }
        return connections.read(connection -> locks.lock(connection, key, versionId));
    }

    /**
     * Sets a version's retention, as S3 allows it: a retention in force may be extended, and made
     * COMPLIANCE from GOVERNANCE; shortening or removing a GOVERNANCE retention needs
     * {@code bypassGovernance}, and a COMPLIANCE retention in force is never shortened or changed.
     *
     * @param mode null to remove the retention
     * @throws S3Exception InvalidRequest (no object lock), NoSuchKey, NoSuchVersion, AccessDenied
     */
    public void putRetention(String key, String versionId, ObjectLock.Mode mode, Instant until, boolean bypassGovernance) {
        write(key, connection -> {
            String id = lockedVersion(connection, key, versionId);
            ObjectLock current = locks.lock(connection, key, id);
            if (current.retained(now())) {
                boolean shorter = mode == null || until.isBefore(current.retainUntil());
                boolean refused = current.mode() == ObjectLock.Mode.COMPLIANCE
                        ? shorter || mode != ObjectLock.Mode.COMPLIANCE
                        : shorter && !bypassGovernance;
                if (refused) {
                    throw new S3Exception(S3ErrorCode.ACCESS_DENIED,
                            "Access Denied because object protected by object lock.");
                }
            }
            locks.setLock(connection, key, id, current.withRetention(mode, mode == null ? null : until));
            return null;
        });
    }

    /** @throws S3Exception InvalidRequest (no object lock), NoSuchKey, NoSuchVersion */
    public void putLegalHold(String key, String versionId, boolean on) {
        write(key, connection -> {
            String id = lockedVersion(connection, key, versionId);
            locks.setLock(connection, key, id, locks.lock(connection, key, id).withLegalHold(on));
            return null;
        });
    }

    /** The id of the version a retention or legal hold request names, which must be an object. */
    private String lockedVersion(Connection connection, String key, String versionId) throws SQLException {
        if (lockConfiguration == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Bucket is missing Object Lock Configuration");
        }
        Located located = locate(connection, key, versionId);
        if (located == null || located.info().deleteMarker() && versionId == null) {
            throw versionId == null ? noSuchKey(key) : noSuchVersion(key, versionId);
        }
        if (located.info().deleteMarker()) {
            throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
        }
        return located.info().versionId();
    }

    /** The lock a new version gets: what its request asked for, else the bucket's default retention. */
    private void lockNewVersion(Connection connection, String key, String versionId, ObjectLock requested) throws SQLException {
        ObjectLockConfiguration configuration = lockConfiguration;
        if (configuration == null) {
            return;
        }
        ObjectLock lock = requested == null ? ObjectLock.NONE : requested;
        if (lock.mode() == null) {
            ObjectLock fallback = configuration.defaultLock(now());
            lock = new ObjectLock(fallback.mode(), fallback.retainUntil(), lock.legalHold());
        }
        locks.setLock(connection, key, versionId, lock);
    }

    private void requireObjectLock(ObjectLock requested) {
        if (requested != null && !requested.isNone() && lockConfiguration == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Bucket is missing ObjectLockConfiguration");
        }
    }

    /** A version found, with its whole value when small, and whether it is the key's {@code data} row. */
    private record Located(ObjectInfo info, byte[] smallValue, boolean current) {
    }

    /** How long a read waits for another that is reading the same large value into the range cache. */
    private static final long RANGE_CACHE_WAIT_SECONDS = 30;
    /** More than any object has (S3 allows 10,000 parts). */
    private static final int MAX_PARTS = 100_000;

    /**
     * Reads one version of an object in one snapshot, as {@code read} says: its conditions, its
     * range, and the memory it reserves before the bytes are read. A current object of up to 1 MiB
     * comes with its bytes in one statement; anything else is read in one transaction of a few
     * statements, the requested slice only. A {@link ByteRange.Part} is resolved against the part
     * boundaries of the version found, and answered as {@link ObjectPartContent}.
     *
     * <p>Large values: a range (or part) of a version larger than 1 MiB costs as much as reading all
     * of it, since SQLite reads a large value whole. So such a read keeps the whole value in the
     * {@link RangeCache} when it admits it (size, and room in the memory budget), and later reads
     * of the same version, of any range, whole or HEAD, are answered from there without SQLite
     * until a write to the key (or the bucket's reset) drops it or the budget needs it back.
     *
     * @throws S3Exception NoSuchKey, NoSuchVersion, PreconditionFailed, InvalidRange,
     *                     InvalidPartNumber, or what {@code read.reserve()} throws
     */
    public ReadResult getObject(ObjectRead read) {
        rangeCache.awaitLoad(this, read.key(), read.versionId(), RANGE_CACHE_WAIT_SECONDS, TimeUnit.SECONDS);
        RangeCache.Entry cached = rangeCache.find(this, read.key(), read.versionId());
        if (cached != null) {
            try {
                return serveCached(read, cached);
            } finally {
                rangeCache.unpin(cached);
            }
        }
        // before the snapshot is taken: a write that commits after it is seen to have happened
        long snapshotWrites = writes.get();
        // outside a transaction each statement has its own snapshot: only while no object is
        // encrypted, as the description and the encryption row must otherwise be read together
        if (read.versionId() == null && !(read.range() instanceof ByteRange.Part) && !encryption.mayHaveRows()) {
            ReadResult small = connections.readOutsideTransaction(connection -> {
                ObjectTable.Found found = objects.infoWithSmallValue(connection, read.key());
                if (found == null && versioning.status() == Versioning.Status.UNVERSIONED) {
                    throw noSuchKey(read.key());
                }
                // a read without bytes (HEAD) of a large object has all it needs here too: finding the
                // row again would read its value whole once more
                if (found == null || found.smallValue() == null && read.bytesWanted()) {
                    return null;
                }
                return serve(connection, read, new Located(found.info(), found.smallValue(), true), snapshotWrites);
            });
            if (small != null) {
                return small;
            }
        }
        return connections.read(connection -> serve(connection, read, locate(connection, read.key(), read.versionId()),
                snapshotWrites));
    }

    /** A read answered from the range cache: as {@link #serve} would answer it from the same version. */
    private ReadResult serveCached(ObjectRead read, RangeCache.Entry cached) {
        ObjectInfo info = cached.info;
        if (read.conditions().notModified(info)) {
            return new ReadResult.NotModified(info);
        }
        if (read.range() instanceof ByteRange.Part wanted) {
            int count = cached.current ? cached.parts.size() : 0;
            ObjectPart part = null;
            if (count == 0) {
                ByteSlice whole = wanted.resolve(info.size());
                part = new ObjectPart(1, whole.offset(), whole.length(), info.etag(), null);
            } else {
                for (ObjectPart candidate : cached.parts) {
                    if (candidate.partNumber() == wanted.number()) {
                        part = candidate;
                    }
                }
                if (part == null) {
                    throw new S3Exception(S3ErrorCode.INVALID_PART_NUMBER);
                }
            }
            if (!read.bytesWanted()) {
                return new ObjectPartContent(info, count, part, new byte[0]);
            }
            read.reserve().accept(part.size());
            return new ObjectPartContent(info, count, part, copy(cached.value, part.slice()));
        }
        ByteSlice slice = read.range().resolve(info.size());
        if (!read.bytesWanted()) {
            return new ObjectContent(info, slice, new byte[0]);
        }
        read.reserve().accept(slice.length());
        return new ObjectContent(info, slice, copy(cached.value, slice));
    }

    /** The bytes of {@code slice} that {@code value} has (a value shorter than its recorded size has fewer). */
    private static byte[] copy(byte[] value, ByteSlice slice) {
        int from = (int) Math.min(slice.offset(), value.length);
        int to = (int) Math.min(value.length, slice.offset() + slice.length());
        return Arrays.copyOfRange(value, from, to);
    }

    /**
     * The bytes of {@code slice} of a large version, read whole into the range cache when it admits
     * it; null when it does not (too large, being read by another request, or no room in the budget
     * now), and the slice is then read alone, as before. The version's part boundaries are kept with
     * it, for reads by part number.
     */
    private byte[] readThroughCache(Connection connection, Located located, ByteSlice slice, long snapshotWrites)
            throws SQLException {
        ObjectInfo info = located.info();
        RangeCache.Load load = rangeCache.begin(this, info.key(), info.versionId(), located.current(), info.size());
        if (load == null) {
            return null;
        }
        RangeCache.Entry entry;
        try {
            List<ObjectPart> parts = located.current() && info.partsCount() > 0
                    ? partTable.list(connection, info, 0, MAX_PARTS) : List.of();
            byte[] value = located.current()
                    ? objects.value(connection, info.key(), ByteSlice.whole(info.size()), info.size())
                    : versions.value(connection, info.key(), info.versionId(), new ByteSlice(0, Long.MAX_VALUE));
            entry = load.complete(info, located.current(), parts, value, () -> writes.get() == snapshotWrites);
        } catch (SQLException | RuntimeException | Error e) {
            load.abandon();
            throw e;
        }
        try {
            return copy(entry.value, slice);
        } finally {
            rangeCache.unpin(entry);
        }
    }

    /** The whole current version of {@code key}. @throws S3Exception NoSuchKey */
    public ObjectContent getObject(String key) {
        if (getObject(ObjectRead.whole(key)) instanceof ObjectContent content) {
            return content;
        }
        throw noSuchKey(key);
    }

    private Located locate(Connection connection, String key, String versionId) throws SQLException {
        ObjectTable.Found current = objects.infoWithSmallValue(connection, key);
        if (versionId == null) {
            if (current != null) {
                return new Located(current.info(), current.smallValue(), true);
            }
            VersionTable.Row newest = versions.newest(connection, key);
            if (newest != null && newest.deleteMarker()) {
                ObjectTable.Found marker = versions.find(connection, key, newest.versionId());
                return new Located(marker.info(), null, false);
            }
            return null;
        }
        if (current != null && current.info().versionId().equals(versionId)) {
            return new Located(current.info(), current.smallValue(), true);
        }
        ObjectTable.Found found = versions.find(connection, key, versionId);
        return found == null ? null : new Located(found.info(), found.smallValue(), false);
    }

    private ReadResult serve(Connection connection, ObjectRead read, Located located, long snapshotWrites)
            throws SQLException {
        if (located == null) {
            throw read.versionId() == null ? noSuchKey(read.key()) : noSuchVersion(read.key(), read.versionId());
        }
        if (!located.info().deleteMarker()) {
            ObjectInfo described = located.info().withEncryption(encryption.find(connection, located.info()));
            located = new Located(described, located.smallValue(), located.current());
        }
        ObjectInfo info = located.info();
        if (info.deleteMarker()) {
            return new ReadResult.DeleteMarker(info, read.versionId() != null);
        }
        if (read.conditions().notModified(info)) {
            return new ReadResult.NotModified(info);
        }
        if (read.range() instanceof ByteRange.Part wanted) {
            return servePart(connection, read, located, wanted, snapshotWrites);
        }
        ByteSlice slice = read.range().resolve(info.size());
        if (!read.bytesWanted()) {
            return new ObjectContent(info, slice, new byte[0]);
        }
        read.reserve().accept(slice.length());
        byte[] bytes = null;
        if (slice.length() == 0) {
            bytes = new byte[0];
        } else if (located.smallValue() != null) {
            bytes = copy(located.smallValue(), slice);
        } else if (slice.length() < info.size()) {
            bytes = readThroughCache(connection, located, slice, snapshotWrites);
        }
        if (bytes == null) {
            bytes = located.current() ? objects.value(connection, read.key(), slice, info.size())
                    : versions.value(connection, read.key(), info.versionId(), slice);
        }
        return new ObjectContent(info, slice, bytes);
    }

    /**
     * A part of the version found. Only the current version ({@code data} row) keeps its part
     * boundaries in {@code object_part}; any other is one part, part 1 being all of it.
     */
    private ObjectPartContent servePart(Connection connection, ObjectRead read, Located located, ByteRange.Part wanted,
                                        long snapshotWrites) throws SQLException {
        ObjectInfo info = located.info();
        int count = located.current() ? partTable.count(connection, read.key()) : 0;
        ObjectPart part;
        if (count == 0) {
            ByteSlice whole = wanted.resolve(info.size());
            part = new ObjectPart(1, whole.offset(), whole.length(), info.etag(), null);
        } else {
            part = partTable.part(connection, info, wanted.number());
            if (part == null) {
                throw new S3Exception(S3ErrorCode.INVALID_PART_NUMBER);
            }
        }
        if (!read.bytesWanted()) {
            return new ObjectPartContent(info, count, part, new byte[0]);
        }
        read.reserve().accept(part.size());
        byte[] bytes = null;
        if (part.size() == 0) {
            bytes = new byte[0];
        } else if (located.smallValue() != null) {
            bytes = Arrays.copyOfRange(located.smallValue(), (int) part.offset(), (int) (part.offset() + part.size()));
        } else if (part.size() < info.size()) {
            bytes = readThroughCache(connection, located, part.slice(), snapshotWrites);
        }
        if (bytes == null) {
            bytes = located.current() ? objects.value(connection, read.key(), part.slice(), info.size())
                    : versions.value(connection, read.key(), info.versionId(), part.slice());
        }
        return new ObjectPartContent(info, count, part, bytes);
    }

    /**
     * A version (the current one when {@code versionId} is null) and a page of its parts numbered
     * above {@code partNumberMarker}, in one snapshot. Only the current version keeps its part
     * boundaries: any other has no parts listed (a count of 0).
     *
     * @throws S3Exception NoSuchKey, NoSuchVersion; MethodNotAllowed for a delete marker named by
     *                     version id (a current delete marker is NoSuchKey)
     */
    public ObjectPartsPage objectParts(String key, String versionId, int partNumberMarker, int maxParts) {
        return connections.read(connection -> {
            Located located = locate(connection, key, versionId);
            if (located == null || located.info().deleteMarker() && versionId == null) {
                throw versionId == null ? noSuchKey(key) : noSuchVersion(key, versionId);
            }
            if (located.info().deleteMarker()) {
                throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            }
            ObjectInfo info = located.info().withEncryption(encryption.find(connection, located.info()));
            if (!located.current()) {
                return new ObjectPartsPage(info, 0, List.of(), false, partNumberMarker);
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

    /** {@link #objectParts(String, String, int, int)} of the current version. */
    public ObjectPartsPage objectParts(String key, int partNumberMarker, int maxParts) {
        return objectParts(key, null, partNumberMarker, maxParts);
    }

    /**
     * The description of a version (the current one when {@code versionId} is null), which may be
     * a delete marker.
     *
     * @throws S3Exception NoSuchKey, NoSuchVersion
     */
    public ObjectInfo describe(String key, String versionId) {
        ObjectInfo info = connections.read(connection -> {
            Located located = locate(connection, key, versionId);
            return located == null ? null : located.info().withEncryption(encryption.find(connection, located.info()));
        });
        if (info == null) {
            throw versionId == null ? noSuchKey(key) : noSuchVersion(key, versionId);
        }
        return info;
    }

    /** @throws S3Exception NoSuchKey, also when the current version is a delete marker */
    public ObjectInfo headObject(String key) {
        ObjectInfo info = connections.read(connection -> {
            ObjectInfo found = objects.info(connection, key);
            return found == null ? null : found.withEncryption(encryption.find(connection, found));
        });
        if (info == null) {
            throw noSuchKey(key);
        }
        return info;
    }

    /**
     * Writes a new current version in one transaction, once {@code condition} held against the
     * current one. What becomes of the current version follows the bucket's versioning: it stays a
     * non-current version (enabled), or is replaced when it is the null version (unversioned,
     * suspended).
     */
    public ObjectInfo putObject(NewObject object, WriteCondition condition) {
        return putObject(object, condition, null);
    }

    /**
     * Like {@link #putObject(NewObject, WriteCondition)}, the new version locked as {@code lock}
     * says (or by the bucket's default retention).
     *
     * @throws S3Exception InvalidRequest for a lock in a bucket without object lock
     */
    public ObjectInfo putObject(NewObject object, WriteCondition condition, ObjectLock lock) {
        requireObjectLock(lock);
        return write(object.key(), connection -> {
            String versionId = prepareNewVersion(connection, object.key(), condition);
            String md5 = HexFormat.of().formatHex(object.valueMd5() != null ? object.valueMd5() : Digests.md5(object.value()));
            ObjectInfo stored = objects.write(connection, object, md5, md5, 0, versionId);
            encryption.write(connection, object.key(), versionId, stored.lastModified(), object.encryption());
            acls.write(connection, object.key(), versionId, stored.lastModified(), object.acl());
            lockNewVersion(connection, object.key(), versionId, lock);
            return stored.withEncryption(object.encryption());
        });
    }

    /**
     * Checks the condition and clears the way for a new current version of {@code key}; returns
     * the new version's id. Unversioned: the {@code data} row is overwritten in place. Enabled:
     * the current version becomes non-current. Suspended: the null version, current or not, goes;
     * a current version with an id becomes non-current.
     */
    private String prepareNewVersion(Connection connection, String key, WriteCondition condition) throws SQLException {
        Versioning state = versioning;
        boolean unversioned = state.status() == Versioning.Status.UNVERSIONED;
        ObjectInfo current = condition.isNone() && unversioned ? null : objects.info(connection, key);
        condition.check(key, current);
        if (unversioned) {
            return VersionIds.NULL;
        }
        if (state.enabled()) {
            if (current != null) {
                versions.archiveCurrent(connection, key);
            }
            return VersionIds.next();
        }
        if (current != null && !VersionIds.NULL.equals(current.versionId())) {
            versions.archiveCurrent(connection, key);
        }
        versions.delete(connection, key, VersionIds.NULL);
        return VersionIds.NULL;
    }

    /**
     * DeleteObject: without a version id, removes the object (unversioned) or puts a delete marker
     * on top (enabled; suspended, where the marker is the null version and replaces it); with one,
     * removes that version for good, and when it was the current one the next newest becomes
     * current. Deleting a version that does not exist does nothing.
     */
    public DeleteResult deleteObject(String key, String versionId) {
        return deleteObject(key, versionId, false, WriteCondition.NONE);
    }

    /**
     * Like {@link #deleteObject(String, String)}; a version under object lock is not deleted by id
     * (AccessDenied) unless its retention is GOVERNANCE and {@code bypassGovernance} is set.
     */
    public DeleteResult deleteObject(String key, String versionId, boolean bypassGovernance) {
        return deleteObject(key, versionId, bypassGovernance, WriteCondition.NONE);
    }

    /**
     * Like {@link #deleteObject(String, String, boolean)}, once {@code condition} (DeleteObject's
     * {@code If-Match}) held, in the same transaction, against the version deleted: the current one,
     * or the one named by {@code versionId}. A condition that fails keeps the object.
     *
     * @throws S3Exception PreconditionFailed, NoSuchKey (If-Match on a key without an object),
     *                     AccessDenied (object lock)
     */
    public DeleteResult deleteObject(String key, String versionId, boolean bypassGovernance, WriteCondition condition) {
        return write(key, connection -> {
            DeleteResult result = delete(connection, key, versionId, bypassGovernance, condition);
            encryption.removeOrphans(connection, key);
            acls.removeOrphans(connection, key);
            return result;
        });
    }

    /** @return whether the key existed (unversioned semantics, for callers that know no versions) */
    public boolean deleteObject(String key) {
        return write(key, connection -> {
            boolean existed = objects.info(connection, key) != null;
            delete(connection, key, null, false, WriteCondition.NONE);
            encryption.removeOrphans(connection, key);
            acls.removeOrphans(connection, key);
            return existed;
        });
    }

    /**
     * One key (and version) to delete in a DeleteObjects request.
     *
     * @param condition the object's {@code ETag} in the request, as an If-Match; never null
     */
    public record ObjectToDelete(String key, String versionId, WriteCondition condition) {
        public ObjectToDelete(String key, String versionId) {
            this(key, versionId, WriteCondition.NONE);
        }
    }

    /** Deletes many objects or versions in one transaction, each as {@link #deleteObject(String, String)}. */
    public List<DeleteResult> deleteObjects(List<ObjectToDelete> keys) {
        return deleteObjects(keys, false);
    }

    /**
     * Like {@link #deleteObjects(List)}; a version that object lock protects, or whose condition
     * fails (PreconditionFailed, NoSuchKey), is not deleted, and its result says so
     * ({@link DeleteResult#refused()}).
     */
    public List<DeleteResult> deleteObjects(List<ObjectToDelete> keys, boolean bypassGovernance) {
        return write(keys.stream().map(ObjectToDelete::key).distinct().toList(), connection -> {
            List<DeleteResult> results = new ArrayList<>();
            for (ObjectToDelete key : keys) {
                try {
                    results.add(delete(connection, key.key(), key.versionId(), bypassGovernance, key.condition()));
                    encryption.removeOrphans(connection, key.key());
                    acls.removeOrphans(connection, key.key());
                } catch (S3Exception refused) {
                    if (refused.error() != S3ErrorCode.ACCESS_DENIED && refused.error() != S3ErrorCode.PRECONDITION_FAILED
                            && refused.error() != S3ErrorCode.NO_SUCH_KEY) {
                        throw refused;
                    }
                    results.add(new DeleteResult(key.key(), key.versionId(), false, refused));
                }
            }
            return results;
        });
    }

    /** @throws S3Exception AccessDenied when object lock protects the version */
    private void checkUnlocked(Connection connection, String key, String versionId, boolean bypassGovernance)
            throws SQLException {
        if (lockConfiguration == null) {
            return;
        }
        ObjectLock lock = locks.lock(connection, key, versionId);
        boolean retained = lock.retained(now())
                && (lock.mode() == ObjectLock.Mode.COMPLIANCE || !bypassGovernance);
        if (lock.held() || retained) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Access Denied because object protected by object lock.");
        }
    }

    private DeleteResult delete(Connection connection, String key, String versionId, boolean bypassGovernance,
                                WriteCondition condition) throws SQLException {
        if (!condition.isNone()) {
            ObjectInfo target;
            if (versionId == null) {
                target = objects.info(connection, key);
            } else {
                Located located = locate(connection, key, versionId);
                target = located == null || located.info().deleteMarker() ? null : located.info();
            }
            condition.check(key, target);
        }
        Versioning state = versioning;
        if (versionId == null) {
            if (state.status() == Versioning.Status.UNVERSIONED) {
                objects.delete(connection, key);
                return new DeleteResult(key, null, false, null);
            }
            ObjectInfo current = objects.info(connection, key);
            String markerId;
            if (state.enabled()) {
                if (current != null) {
                    versions.archiveCurrent(connection, key);
                }
                markerId = VersionIds.next();
            } else {
                if (current != null && VersionIds.NULL.equals(current.versionId())) {
                    objects.delete(connection, key);
                } else if (current != null) {
                    versions.archiveCurrent(connection, key);
                }
                versions.delete(connection, key, VersionIds.NULL);
                markerId = VersionIds.NULL;
            }
            versions.insertDeleteMarker(connection, key, markerId, Timestamps.format(now()));
            return new DeleteResult(key, markerId, true, null);
        }
        ObjectInfo current = objects.info(connection, key);
        if (current != null && current.versionId().equals(versionId)) {
            checkUnlocked(connection, key, versionId, bypassGovernance);
            objects.delete(connection, key);
            locks.remove(connection, key, versionId);
            versions.promoteNewest(connection, key);
            return new DeleteResult(key, versionId, false, null);
        }
        VersionTable.Row row = versions.row(connection, key, versionId);
        if (row == null) {
            return new DeleteResult(key, versionId, false, null);
        }
        checkUnlocked(connection, key, versionId, bypassGovernance);
        locks.remove(connection, key, versionId);
        VersionTable.Row newest = current == null ? versions.newest(connection, key) : null;
        versions.delete(connection, key, versionId);
        if (newest != null && newest.sequence() == row.sequence()) {
            versions.promoteNewest(connection, key);
        }
        return new DeleteResult(key, versionId, row.deleteMarker(), null);
    }

    /**
     * One page of keys and common prefixes strictly after {@code startAfter}, in UTF-8 byte order,
     * found with key ranges on the primary key.
     */
    public ListPage listObjects(String prefix, String delimiter, String startAfter, int maxKeys) {
        return connections.read(connection -> objects.list(connection, prefix, delimiter, startAfter, maxKeys));
    }

    /**
     * One page of ListObjectVersions: every version and delete marker, keys in UTF-8 byte order,
     * each key's newest first, starting after {@code keyMarker} (and, within it, after
     * {@code versionIdMarker}).
     */
    public ListedVersion.Page listObjectVersions(String prefix, String delimiter, String keyMarker,
                                                 String versionIdMarker, int maxKeys) {
        return connections.read(connection -> versions.list(connection, prefix, delimiter, keyMarker, versionIdMarker,
                maxKeys));
    }

    /** @throws S3Exception NoSuchKey */
    public Map<String, String> getTags(String key) {
        return headObject(key).tags();
    }

    /** Replaces the tag set of the current version; the object keeps its last-modified time. */
    public void putTags(String key, Map<String, String> tags) {
        putTags(key, null, tags);
    }

    /**
     * Replaces the tag set of a version (the current one when {@code versionId} is null); it keeps
     * its last-modified time.
     *
     * @throws S3Exception NoSuchKey, NoSuchVersion
     */
    public void putTags(String key, String versionId, Map<String, String> tags) {
        write(key, connection -> {
            ObjectInfo current = objects.info(connection, key);
            if (versionId == null || current != null && current.versionId().equals(versionId)) {
                if (!objects.setTags(connection, key, tags)) {
                    throw versionId == null ? noSuchKey(key) : noSuchVersion(key, versionId);
                }
            } else if (!versions.setTags(connection, key, versionId, tags)) {
                throw noSuchVersion(key, versionId);
            }
            return null;
        });
    }

    public void deleteTags(String key) {
        putTags(key, Map.of());
    }

    public UploadInfo createMultipartUpload(String key, Map<String, String> userMetadata, ObjectHeaders headers,
                                            Map<String, String> tags, String checksumAlgorithm, ChecksumType checksumType,
                                            String accessKey) {
        return createMultipartUpload(key, userMetadata, headers, tags, checksumAlgorithm, checksumType, accessKey, null);
    }

    /** Like the other, the object it makes to be locked as {@code lock} says (or by the default retention). */
    public UploadInfo createMultipartUpload(String key, Map<String, String> userMetadata, ObjectHeaders headers,
                                            Map<String, String> tags, String checksumAlgorithm, ChecksumType checksumType,
                                            String accessKey, ObjectLock lock) {
        return createMultipartUpload(key, userMetadata, headers, tags, checksumAlgorithm, checksumType, accessKey, lock,
                null);
    }

    /**
     * Like the other, the object it makes to be encrypted as {@code objectEncryption} says (SSE-S3 or
     * SSE-KMS; null for plain SSE-S3).
     */
    public UploadInfo createMultipartUpload(String key, Map<String, String> userMetadata, ObjectHeaders headers,
                                            Map<String, String> tags, String checksumAlgorithm, ChecksumType checksumType,
                                            String accessKey, ObjectLock lock, ObjectEncryption objectEncryption) {
        return createMultipartUpload(key, userMetadata, headers, tags, checksumAlgorithm, checksumType, accessKey, lock,
                objectEncryption, null);
    }

    /** Like the other, the object it makes to get the ACL {@code acl} (null: private to the bucket owner). */
    public UploadInfo createMultipartUpload(String key, Map<String, String> userMetadata, ObjectHeaders headers,
                                            Map<String, String> tags, String checksumAlgorithm, ChecksumType checksumType,
                                            String accessKey, ObjectLock lock, ObjectEncryption objectEncryption,
                                            String acl) {
        requireObjectLock(lock);
        return write(key, connection -> {
            UploadInfo upload = uploads.create(connection, key, userMetadata, headers, tags, checksumAlgorithm,
                    checksumType, accessKey);
            locks.setUploadLock(connection, UploadTables.parseId(upload.uploadId()), lock);
            encryption.setUpload(connection, UploadTables.parseId(upload.uploadId()), objectEncryption);
            acls.setUpload(connection, UploadTables.parseId(upload.uploadId()), acl);
            return upload;
        });
    }

    /**
     * The ACL document of a version (the current one when {@code versionId} is null), or null when it
     * has none of its own (private to the bucket's owner).
     *
     * @throws S3Exception NoSuchKey, NoSuchVersion; MethodNotAllowed for a delete marker
     */
    public String objectAcl(String key, String versionId) {
        return connections.read(connection -> acls.find(connection, aclVersion(connection, key, versionId)));
    }

    private ObjectInfo aclVersion(Connection connection, String key, String versionId) throws SQLException {
        Located located = locate(connection, key, versionId);
        if (located == null || located.info().deleteMarker() && versionId == null) {
            throw versionId == null ? noSuchKey(key) : noSuchVersion(key, versionId);
        }
        if (located.info().deleteMarker()) {
            throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
        }
        return located.info();
    }

    /**
     * Replaces a version's ACL (the current one when {@code versionId} is null).
     *
     * @throws S3Exception NoSuchKey, NoSuchVersion; MethodNotAllowed for a delete marker
     */
    public void putObjectAcl(String key, String versionId, String document) {
        write(key, connection -> {
            ObjectInfo info = aclVersion(connection, key, versionId);
            acls.write(connection, key, info.versionId(), info.lastModified(), document);
            return null;
        });
    }

    /** How the object of an upload is to be encrypted (null: plain SSE-S3). @throws S3Exception NoSuchUpload */
    public ObjectEncryption uploadEncryption(String uploadId, String key) {
        return connections.read(connection -> {
            uploads.require(connection, uploadId, key);
            return encryption.upload(connection, UploadTables.parseId(uploadId));
        });
    }

    /** @throws S3Exception NoSuchUpload when absent or started for another key */
    public UploadInfo getUpload(String uploadId, String key) {
        return connections.read(connection -> uploads.require(connection, uploadId, key));
    }

    /** Stores a part, replacing one of the same number. */
    public PartInfo uploadPart(String uploadId, String key, int partNumber, byte[] value, StoredChecksum checksum) {
        return uploadPart(uploadId, key, partNumber, value, checksum, null);
    }

    /**
     * Stores a part, replacing one of the same number; a part of an SSE-C upload arrives encrypted,
     * and {@code partEncryption} says how (null for a part of any other upload).
     */
    public PartInfo uploadPart(String uploadId, String key, int partNumber, byte[] value, StoredChecksum checksum,
                               PartEncryption partEncryption) {
        return write(key, connection -> {
            uploads.require(connection, uploadId, key);
            PartInfo part = uploads.putPart(connection, uploadId, partNumber, value, checksum);
            if (partEncryption != null) {
                encryption.setPart(connection, UploadTables.parseId(uploadId), partNumber, partEncryption);
            }
            return part;
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
        write(key, connection -> {
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
     * @param condition checked against the current version and when the upload was initiated
     *                  ({@link WriteCondition#checkCompletion}); a refusal with
     *                  ConditionalRequestConflict also removes the upload, as S3 does
     * @param wholeChecksum the checksum of the whole object the client sent with the request, or null
     * @throws S3Exception NoSuchUpload, InvalidPartOrder, InvalidPart, EntityTooSmall, BadDigest,
     *                     PreconditionFailed, ConditionalRequestConflict, NoSuchKey (If-Match)
     */
    public ObjectInfo completeMultipartUpload(String uploadId, String key, List<CompletedPart> parts,
                                              WriteCondition condition, StoredChecksum wholeChecksum) {
        return completeMultipartUpload(uploadId, key, parts, condition, wholeChecksum, null);
    }

    /**
     * Like the other, for a request that may carry a customer key. Completion needs no key (an SSE-C
     * upload's parts are stored encrypted, and the object is made of them as they are), but one that
     * is given must be the upload's.
     *
     * @param customerKeyMd5 the base64 MD5 of the customer key the request carries, or null
     * @throws S3Exception InvalidRequest for a key the upload was not started with, and the others
     */
    public ObjectInfo completeMultipartUpload(String uploadId, String key, List<CompletedPart> parts,
                                              WriteCondition condition, StoredChecksum wholeChecksum,
                                              String customerKeyMd5) {
        Completion completion = write(key, connection -> {
            ObjectInfo previous = completedUploads.find(connection, uploadId, key);
            if (previous != null) {
                if (customerKeyMd5 != null) {
                    ObjectEncryption.checkUploadKey(previous.encryption(), customerKeyMd5);
                }
                return new Completion(previous, null);
            }
            UploadInfo upload = uploads.require(connection, uploadId, key);
            byte[] id = UploadTables.parseId(uploadId);
            ObjectEncryption uploadEncryption = encryption.upload(connection, id);
            if (customerKeyMd5 != null) {
                ObjectEncryption.checkUploadKey(uploadEncryption, customerKeyMd5);
            }
            if (!condition.isNone()) {
                try {
                    condition.checkCompletion(key, objects.info(connection, key), upload.initiated());
                } catch (S3Exception e) {
                    if (e.error() != S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT) {
                        throw e;
                    }
                    uploads.delete(connection, uploadId);
                    return new Completion(null, e);
                }
            }
            boolean customer = uploadEncryption != null && uploadEncryption.isCustomerKey();
            MultipartAssembly.Assembled assembled = uploads.assemble(connection, upload, parts, customer
                    ? encryption.parts(connection, id, parts.stream().map(CompletedPart::partNumber).toList()) : null);
            WholeObjectChecksum.verify(wholeChecksum, assembled, upload);
            // the condition was checked above, in this transaction
            String versionId = prepareNewVersion(connection, key, WriteCondition.NONE);
            ObjectEncryption objectEncryption = customer
                    ? ObjectEncryption.customer(uploadEncryption.customerKeyMd5(), assembled.segments()) : uploadEncryption;
            NewObject object = new NewObject(key, assembled.value(), upload.userMetadata(), upload.headers(),
                    assembled.checksum(), upload.tags(), objectEncryption);
            ObjectInfo stored = objects.write(connection, object, assembled.md5(), assembled.etag(), parts.size(),
                    versionId, lastModified -> partTable.write(connection, key, lastModified, assembled.parts()))
                    .withEncryption(objectEncryption);
            encryption.write(connection, key, versionId, stored.lastModified(), objectEncryption);
            acls.write(connection, key, versionId, stored.lastModified(), acls.upload(connection, UploadTables.parseId(uploadId)));
            lockNewVersion(connection, key, versionId, locks.uploadLock(connection, id));
            uploads.delete(connection, uploadId);
            completedUploads.remember(connection, uploadId, stored);
            return new Completion(stored, null);
        });
        if (completion.conflict() != null) {
            throw completion.conflict();
        }
        return completion.stored();
    }

    /** What a completion's transaction ended with: the object, or the conflict it committed (the upload removed). */
    private record Completion(ObjectInfo stored, S3Exception conflict) {
    }

    /** Keys read per statement while looking for what lifecycle rules expire. */
    private static final int LIFECYCLE_PAGE = 1000;

    /**
     * Applies lifecycle rules as they stand at {@code now} (see {@link LifecycleConfiguration}):
     * expires current versions (as a DeleteObject without a version id does), deletes noncurrent
     * versions and lone delete markers, aborts stale multipart uploads. A version under object
     * lock is never deleted for good. The key ranges the rules cover are read first; then each key
     * with something due is one transaction on the bucket's writer, in which its versions are read
     * again and the decision taken again, so that a request that changed the key meanwhile is
     * seen; each aborted upload is one transaction too. A read-only file is left as it is.
     */
    public LifecycleOutcome applyLifecycle(LifecycleConfiguration configuration, Instant now) {
        if (readOnly) {
            return LifecycleOutcome.NONE;
        }
        LifecycleOutcome outcome = LifecycleOutcome.NONE;
        for (String prefix : configuration.objectKeyPrefixes()) {
            for (String key : keysWithActions(configuration, prefix, now)) {
                outcome = outcome.plus(applyToKey(configuration, key, now));
            }
        }
        if (configuration.abortsUploads()) {
            for (UploadInfo upload : connections.read(uploads::all)) {
                LifecycleConfiguration.Due due = configuration.abortIncompleteMultipartUpload(upload.key(),
                        upload.initiated());
                if (due != null && !due.at().isAfter(now)) {
                    outcome = outcome.plus(abortStaleUpload(configuration, upload, now));
                }
            }
        }
        return outcome;
    }

    /** The keys under {@code prefix} that have something due, judged from snapshots a page at a time. */
    private List<String> keysWithActions(LifecycleConfiguration configuration, String prefix, Instant now) {
        BucketVersioning state = lifecycleVersioning();
        List<String> due = new ArrayList<>();
        List<KeyVersion> group = new ArrayList<>();
        String groupKey = null;
        String keyMarker = null;
        String versionIdMarker = null;
        while (true) {
            String fromKey = keyMarker;
            String fromVersion = versionIdMarker;
            ListedVersion.Page page = connections.read(connection -> versions.list(connection, prefix, null, fromKey,
                    fromVersion, LIFECYCLE_PAGE));
            for (ListedVersion listed : page.versions()) {
                String key = listed.info().key();
                if (!key.equals(groupKey)) {
                    if (groupKey != null && !configuration.actions(groupKey, group, state, now).isEmpty()) {
                        due.add(groupKey);
                    }
                    groupKey = key;
                    group = new ArrayList<>();
                }
                group.add(keyVersion(listed.info(), false));
            }
            if (!page.truncated()) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            versionIdMarker = page.nextVersionIdMarker();
        }
        if (groupKey != null && !configuration.actions(groupKey, group, state, now).isEmpty()) {
            due.add(groupKey);
        }
        return due;
    }

    private LifecycleOutcome applyToKey(LifecycleConfiguration configuration, String key, Instant now) {
        LifecycleOutcome outcome;
        try {
            outcome = applyToKeyInTransaction(configuration, key, now);
        } finally {
            written(List.of(key));
        }
        if (!outcome.equals(LifecycleOutcome.NONE)) {
            modifications.incrementAndGet();
        }
        return outcome;
    }

    private LifecycleOutcome applyToKeyInTransaction(LifecycleConfiguration configuration, String key, Instant now) {
        return connections.write(connection -> {
            List<KeyVersion> history = new ArrayList<>();
            ObjectInfo current = objects.info(connection, key);
            if (current != null) {
                history.add(keyVersion(current, locked(connection, current, now)));
            }
            for (ObjectInfo version : versions.history(connection, key)) {
                history.add(keyVersion(version, locked(connection, version, now)));
            }
            int expired = 0;
            int noncurrent = 0;
            int markers = 0;
            for (LifecycleAction action : configuration.actions(key, history, lifecycleVersioning(), now)) {
                try {
                    if (action instanceof LifecycleAction.ExpireCurrentVersion) {
                        delete(connection, key, null, false, WriteCondition.NONE);
                        expired++;
                    } else if (action instanceof LifecycleAction.DeleteNoncurrentVersion version) {
                        delete(connection, key, version.versionId(), false, WriteCondition.NONE);
                        noncurrent++;
                    } else if (action instanceof LifecycleAction.RemoveDeleteMarker marker) {
                        delete(connection, key, marker.versionId(), false, WriteCondition.NONE);
                        markers++;
                    }
                } catch (S3Exception refused) {
                    // object lock refuses before anything of the version is touched: it stays
                    if (refused.error() != S3ErrorCode.ACCESS_DENIED) {
                        throw refused;
                    }
                }
            }
            if (expired + noncurrent + markers > 0) {
                encryption.removeOrphans(connection, key);
                acls.removeOrphans(connection, key);
            }
            return new LifecycleOutcome(expired, noncurrent, markers, 0);
        });
    }

    private LifecycleOutcome abortStaleUpload(LifecycleConfiguration configuration, UploadInfo stale, Instant now) {
        LifecycleOutcome outcome;
        try {
            outcome = abortStaleUploadInTransaction(configuration, stale, now);
        } finally {
            written(List.of(stale.key()));
        }
        if (!outcome.equals(LifecycleOutcome.NONE)) {
            modifications.incrementAndGet();
        }
        return outcome;
    }

    private LifecycleOutcome abortStaleUploadInTransaction(LifecycleConfiguration configuration, UploadInfo stale,
                                                           Instant now) {
        return connections.write(connection -> {
            UploadInfo upload;
            try {
                upload = uploads.require(connection, stale.uploadId(), stale.key());
            } catch (S3Exception gone) {
                return LifecycleOutcome.NONE;
            }
            LifecycleConfiguration.Due due = configuration.abortIncompleteMultipartUpload(upload.key(),
                    upload.initiated());
            if (due == null || due.at().isAfter(now)) {
                return LifecycleOutcome.NONE;
            }
            uploads.delete(connection, upload.uploadId());
            return new LifecycleOutcome(0, 0, 0, 1);
        });
    }

    private BucketVersioning lifecycleVersioning() {
        return switch (versioning.status()) {
            case UNVERSIONED -> BucketVersioning.UNVERSIONED;
            case ENABLED -> BucketVersioning.ENABLED;
            case SUSPENDED -> BucketVersioning.SUSPENDED;
        };
    }

    private static KeyVersion keyVersion(ObjectInfo info, boolean locked) {
        return new KeyVersion(info.versionId(), info.deleteMarker(), info.size(), info.tags(), info.lastModified(),
                locked);
    }

    /** Whether object lock protects a version now, or at the instant lifecycle rules are applied for. */
    private boolean locked(Connection connection, ObjectInfo info, Instant at) throws SQLException {
        if (lockConfiguration == null || info.deleteMarker()) {
            return false;
        }
        ObjectLock lock = locks.lock(connection, info.key(), info.versionId());
        return lock.held() || lock.retained(now()) || lock.retained(at);
    }

    /** Deletes every object and upload, in one transaction. */
    void clear() {
        write(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM multipart_upload");
                statement.executeUpdate("DELETE FROM multipart_upload_completed");
                statement.executeUpdate("DELETE FROM data");
                statement.executeUpdate("DELETE FROM object_version");
                statement.executeUpdate("DELETE FROM bucket_configuration");
                statement.executeUpdate("DELETE FROM object_lock");
                statement.executeUpdate("DELETE FROM object_encryption");
                statement.executeUpdate("DELETE FROM object_acl");
            }
            versioning = Versioning.UNVERSIONED;
            defaultEncryption = null;
            lockConfiguration = null;
            configurationCache.clear();
            return null;
        });
        configurationCache.clear();
    }

    /**
     * Starts logging which rows change, so that {@link #undoChanges} can put back just those from
     * {@code seed}, the file this one was just copied from. A file whose changes cannot be followed
     * is left as it is: its resets copy the seed.
     */
    void logChangesSince(Path seed) {
        changes = connections.writeOutsideTransaction(writer -> ChangeLog.start(writer, seed));
    }

    /**
     * Brings the file back to what it was when copied from its seed, in place, by putting back the
     * seed's rows of every row changed since; nothing when it was not written since
     * {@code modifications} (what {@link #modifications()} said then) and no other connection wrote
     * it. Declines (and the caller copies the seed) when the changes were not logged, the schema
     * changed, or copying is cheaper.
     */
    ChangeLog.Undo undoChanges(long modifications) {
        ChangeLog log = changes;
        if (log == null) {
            return this.modifications.get() == modifications ? ChangeLog.Undo.UNTOUCHED
                    : ChangeLog.Undo.declined(0, "its changes are not logged");
        }
        ChangeLog.Undo undo = connections.writeOutsideTransaction(writer -> {
            if (this.modifications.get() == modifications && !log.writtenElsewhere(writer)) {
                return ChangeLog.Undo.UNTOUCHED;
            }
            ChangeLog.Undo done = log.undo(writer, this::reload);
            if (done.done()) {
                this.modifications.incrementAndGet();
            }
            return done;
        });
        if (undo.done()) {
            // a reader may have cached what it read while the undo ran
            configurationCache.clear();
            written(null);
        }
        return undo;
    }

    /** Reads again, with {@code connection}, what this object keeps of the tables. */
    private Void reload(Connection connection) throws SQLException {
        versioning = versions.versioning(connection);
        lockConfiguration = locks.configuration(connection);
        defaultEncryption = encryption.configuration(connection);
        configurationCache.clear();
        return null;
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
        written(null);
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

    static S3Exception noSuchVersion(String key, String versionId) {
        return new S3Exception(S3ErrorCode.NO_SUCH_VERSION).with("Key", key).with("VersionId", versionId);
    }

    static Instant now() {
        return Instant.now();
    }
}
