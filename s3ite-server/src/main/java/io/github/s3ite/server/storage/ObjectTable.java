package io.github.s3ite.server.storage;

import io.github.s3ite.server.checksum.ChecksumType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQL over the {@code data} table and its {@code object_attributes}. */
final class ObjectTable {
    private static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";
    static final String EMPTY_ETAG = EMPTY_MD5;
    private static final String COLUMNS_WITH_ATTRIBUTES =
            "d.key, d.size, d.md5, d.last_modified, d.metadata, a.last_modified, a.etag, a.content_type,"
                    + " a.content_encoding, a.content_disposition, a.content_language, a.cache_control, a.expires,"
                    + " a.checksum_algorithm, a.checksum_type, a.checksum, a.parts_count, a.tags, ";
    private static final String FROM_WITH_ATTRIBUTES = " FROM data d LEFT JOIN object_attributes a ON a.key = d.key";
    private static final String COLUMNS_WITHOUT_ATTRIBUTES = "d.key, d.size, d.md5, d.last_modified, d.metadata";
    private static final String FROM_WITHOUT_ATTRIBUTES = " FROM data d";
    private static final String UPSERT_DATA =
            "INSERT INTO data (key, value, size, metadata, last_modified, md5) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, size = excluded.size,"
                    + " metadata = excluded.metadata, last_modified = excluded.last_modified, md5 = excluded.md5";
    private static final String DELETE_PARTS = "DELETE FROM object_part WHERE key = ?";
    private static final String SET_VALUE = "UPDATE data SET value = ? WHERE key = ?";
    private static final byte[] NO_BYTES = new byte[0];
    private static final String REPLACE_ATTRIBUTES =
            "INSERT OR REPLACE INTO object_attributes (key, last_modified, etag, content_type, content_encoding,"
                    + " content_disposition, content_language, cache_control, expires, checksum_algorithm,"
                    + " checksum_type, checksum, parts_count, tags, version_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Objects up to this size come with their description in one statement. */
    static final long SMALL_OBJECT = 1024 * 1024;

    private final boolean hasAttributes;
    private final String columns;
    private final String select;
    private final String selectWithSmallValue;
    private final String selectByKey;
    private final int smallValueColumn;

    /**
     * @param hasVersionColumn whether {@code object_attributes} has its {@code version_id} (a file
     *                         opened read-only may predate it: its objects are all version null)
     */
    ObjectTable(boolean hasAttributes, boolean hasVersionColumn) {
        this.hasAttributes = hasAttributes;
        this.columns = hasAttributes
                ? COLUMNS_WITH_ATTRIBUTES + (hasVersionColumn ? "a.version_id" : "NULL")
                : COLUMNS_WITHOUT_ATTRIBUTES;
        String from = hasAttributes ? FROM_WITH_ATTRIBUTES : FROM_WITHOUT_ATTRIBUTES;
        this.select = "SELECT " + columns + from;
        this.selectWithSmallValue = "SELECT " + columns + ", CASE WHEN d.size <= " + SMALL_OBJECT
                + " THEN coalesce(d.value, X'') END" + from + " WHERE d.key = ?";
        this.selectByKey = select + " WHERE d.key = ?";
        this.smallValueColumn = hasAttributes ? 20 : 6;
    }

    /** The columns {@link #toInfo} reads, from {@code data d} joined with {@code object_attributes a}. */
    String columns() {
        return columns;
    }

    /** An object's description and, for a small object, its whole value (else null). */
    record Found(ObjectInfo info, byte[] smallValue) {
    }

    /** One statement for the common case of a small object: description and bytes together. */
    Found infoWithSmallValue(Connection connection, String key) throws SQLException {
        Statements statements = Statements.of(connection);
        PreparedStatement statement = statements.prepare(selectWithSmallValue);
        statement.setString(1, key);
        try (ResultSet rows = statements.query(statement)) {
            if (!rows.next()) {
                return null;
            }
            return new Found(toInfo(rows), rows.getBytes(smallValueColumn));
        }
    }

    /** The object's description, or null when there is no such key. */
    ObjectInfo info(Connection connection, String key) throws SQLException {
        Statements statements = Statements.of(connection);
        PreparedStatement statement = statements.prepare(selectByKey);
        statement.setString(1, key);
        try (ResultSet rows = statements.query(statement)) {
            return rows.next() ? toInfo(rows) : null;
        }
    }

    ObjectInfo toInfo(ResultSet rows) throws SQLException {
        String key = rows.getString(1);
        long size = rows.getLong(2);
        String md5 = rows.getString(3);
        String lastModifiedText = rows.getString(4);
        Instant lastModified = Timestamps.parse(lastModifiedText);
        Map<String, String> metadata = Json.read(rows.getString(5));
        String etag = md5 != null ? md5 : EMPTY_MD5;
        if (hasAttributes && lastModifiedText.equals(rows.getString(6))) {
            String algorithm = rows.getString(14);
            StoredChecksum checksum = algorithm == null ? null
                    : new StoredChecksum(algorithm, rows.getString(16), storedType(rows.getString(15)));
            ObjectHeaders headers = new ObjectHeaders(rows.getString(8), rows.getString(9), rows.getString(10),
                    rows.getString(11), rows.getString(12), rows.getString(13));
            String versionId = rows.getString(19);
            return new ObjectInfo(key, size, rows.getString(7), md5, lastModified, metadata, headers, checksum,
                    rows.getInt(17), Json.read(rows.getString(18)), versionId == null ? VersionIds.NULL : versionId, false);
        }
        return new ObjectInfo(key, size, etag, md5, lastModified, metadata, ObjectHeaders.NONE, null, 0, Map.of(),
                VersionIds.NULL, false);
    }

    /** Files written before checksum types were kept hold full-object checksums only. */
    static ChecksumType storedType(String name) {
        ChecksumType type = ChecksumType.fromName(name);
        return type != null ? type : ChecksumType.FULL_OBJECT;
    }

    /** The bytes of {@code slice}; a NULL value (a directory marker of the original) is empty. */
    byte[] value(Connection connection, String key, ByteSlice slice, long size) throws SQLException {
        boolean whole = slice.offset() == 0 && slice.length() >= size;
        String sql = whole ? "SELECT value FROM data WHERE key = ?" : "SELECT substr(value, ?, ?) FROM data WHERE key = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            if (!whole) {
                statement.setLong(index++, slice.offset() + 1);
                statement.setLong(index++, slice.length());
            }
            statement.setString(index, key);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return new byte[0];
                }
                byte[] bytes = rows.getBytes(1);
                return bytes == null ? new byte[0] : bytes;
            }
        }
    }

    /**
     * Inserts or replaces the current version and its attributes; returns what was stored.
     *
     * @param versionId the new version's id, or {@link VersionIds#NULL}
     */
    ObjectInfo write(Connection connection, NewObject object, String md5, String etag, int partsCount, String versionId)
            throws SQLException {
        return write(connection, object, md5, etag, partsCount, versionId, lastModified -> { });
    }

    /** Rows of other tables that reference the object's key in {@code data}, written with its description. */
    interface ReferencingRows {
        void write(String lastModified) throws SQLException;
    }

    /**
     * Writes the object's row in {@code data}, its {@code object_attributes} row and {@code
     * referencing} rows (such as its {@code object_part} rows), in the caller's transaction.
     *
     * <p>A large value is written last. SQLite checks each row of a table that references {@code
     * data (key)} against its parent, finding it by the key, and a key search in the original's
     * {@code WITHOUT ROWID} table reads every record it compares whose value overflows its page
     * whole. So the row is first written with an empty value, the referencing rows are checked
     * against that small record, and then the value is set: otherwise each of them read the whole
     * value again (a 1 GB object completed from 15 parts was read 16 times). No reader sees the
     * empty value: it is never committed.
     */
    ObjectInfo write(Connection connection, NewObject object, String md5, String etag, int partsCount, String versionId,
                     ReferencingRows referencing) throws SQLException {
        Instant now = BucketFile.now();
        String lastModified = Timestamps.format(now);
        Statements statements = Statements.of(connection);
        boolean valueLast = object.value().length > SMALL_OBJECT;
        PreparedStatement upsert = statements.prepare(UPSERT_DATA);
        upsert.setString(1, object.key());
        upsert.setBytes(2, valueLast ? NO_BYTES : object.value());
        upsert.setLong(3, object.value().length);
        setNullable(upsert, 4, Json.write(object.userMetadata()));
        upsert.setString(5, lastModified);
        upsert.setString(6, md5);
        try {
            upsert.executeUpdate();
        } finally {
            // a kept statement keeps its parameters: the value must not outlive the request in it
            upsert.setBytes(2, null);
        }
        PreparedStatement parts = statements.prepare(DELETE_PARTS);
        parts.setString(1, object.key());
        parts.executeUpdate();
        ObjectHeaders headers = object.headers() == null ? ObjectHeaders.NONE : object.headers();
        StoredChecksum checksum = object.checksum();
        PreparedStatement attributes = statements.prepare(REPLACE_ATTRIBUTES);
        attributes.setString(1, object.key());
        attributes.setString(2, lastModified);
        attributes.setString(3, etag);
        setNullable(attributes, 4, headers.contentType());
        setNullable(attributes, 5, headers.contentEncoding());
        setNullable(attributes, 6, headers.contentDisposition());
        setNullable(attributes, 7, headers.contentLanguage());
        setNullable(attributes, 8, headers.cacheControl());
        setNullable(attributes, 9, headers.expires());
        setNullable(attributes, 10, checksum == null ? null : checksum.algorithm());
        setNullable(attributes, 11, checksum == null ? null : checksum.type().name());
        setNullable(attributes, 12, checksum == null ? null : checksum.value());
        if (partsCount > 0) {
            attributes.setInt(13, partsCount);
        } else {
            attributes.setNull(13, Types.INTEGER);
        }
        setNullable(attributes, 14, Json.write(object.tags()));
        setNullable(attributes, 15, VersionIds.NULL.equals(versionId) ? null : versionId);
        attributes.executeUpdate();
        referencing.write(lastModified);
        if (valueLast) {
            try (PreparedStatement value = connection.prepareStatement(SET_VALUE)) {
                value.setBytes(1, object.value());
                value.setString(2, object.key());
                value.executeUpdate();
            }
        }
        return new ObjectInfo(object.key(), object.value().length, etag, md5, Timestamps.parse(lastModified),
                object.userMetadata() == null ? Map.of() : object.userMetadata(), headers, checksum, partsCount,
                object.tags() == null ? Map.of() : object.tags(), versionId, false);
    }

    boolean delete(Connection connection, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM data WHERE key = ?")) {
            statement.setString(1, key);
            return statement.executeUpdate() > 0;
        }
    }

    /**
     * Sets the tags of an existing object without changing its last-modified time. An object written
     * by the original gets its attributes row here, made to match its {@code last_modified}.
     *
     * @return false when there is no such key
     */
    boolean setTags(Connection connection, String key, Map<String, String> tags) throws SQLException {
        ObjectInfo current = info(connection, key);
        if (current == null) {
            return false;
        }
        String lastModified;
        try (PreparedStatement statement = connection.prepareStatement("SELECT last_modified FROM data WHERE key = ?")) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                lastModified = rows.getString(1);
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO object_attributes (key, last_modified, etag, tags) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (key) DO UPDATE SET tags = excluded.tags, last_modified = excluded.last_modified,"
                        + " version_id = CASE WHEN object_attributes.last_modified = excluded.last_modified"
                        + " THEN object_attributes.version_id END")) {
            statement.setString(1, key);
            statement.setString(2, lastModified);
            statement.setString(3, current.etag());
            setNullable(statement, 4, Json.write(tags));
            statement.executeUpdate();
        }
        return true;
    }

    /**
     * A page of keys after {@code startAfter}. With a delimiter, keys that share a common prefix
     * count once, and the scan jumps past them with a new key range instead of reading them.
     */
    ListPage list(Connection connection, String prefix, String delimiter, String startAfter, int maxKeys)
            throws SQLException {
        List<ObjectInfo> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        if (maxKeys <= 0) {
            return new ListPage(objects, prefixes, false, null);
        }
        String lower = prefix == null ? "" : prefix;
        boolean inclusive = true;
        if (startAfter != null && KeyRanges.compareUtf8(startAfter, lower) >= 0) {
            String rolledUp = commonPrefix(startAfter, prefix, delimiter);
            if (rolledUp != null && rolledUp.equals(startAfter)) {
                lower = KeyRanges.successor(rolledUp);
                if (lower == null) {
                    return new ListPage(objects, prefixes, false, null);
                }
            } else {
                lower = startAfter;
                inclusive = false;
            }
        }
        String upper = prefix == null || prefix.isEmpty() ? null : KeyRanges.successor(prefix);
        String lastEntry = null;
        while (true) {
            String jumpTo = null;
            try (PreparedStatement statement = connection.prepareStatement(select
                    + " WHERE d.key " + (inclusive ? ">=" : ">") + " ?"
                    + (upper != null ? " AND d.key < ?" : "") + " ORDER BY d.key LIMIT ?")) {
                int index = 1;
                statement.setString(index++, lower);
                if (upper != null) {
                    statement.setString(index++, upper);
                }
                statement.setInt(index, maxKeys - objects.size() - prefixes.size() + 1);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        if (objects.size() + prefixes.size() == maxKeys) {
                            return new ListPage(objects, prefixes, true, lastEntry);
                        }
                        String key = rows.getString(1);
                        String rolledUp = commonPrefix(key, prefix, delimiter);
                        if (rolledUp != null) {
                            prefixes.add(rolledUp);
                            lastEntry = rolledUp;
                            jumpTo = KeyRanges.successor(rolledUp);
                            break;
                        }
                        objects.add(toInfo(rows));
                        lastEntry = key;
                    }
                }
            }
            if (jumpTo == null) {
                return new ListPage(objects, prefixes, false, lastEntry);
            }
            lower = jumpTo;
            inclusive = true;
        }
    }

    /** The common prefix a key rolls up into: up to and including the first delimiter after the prefix. */
    static String commonPrefix(String key, String prefix, String delimiter) {
        if (delimiter == null || delimiter.isEmpty()) {
            return null;
        }
        int start = prefix == null ? 0 : prefix.length();
        if (!key.startsWith(prefix == null ? "" : prefix)) {
            return null;
        }
        int at = key.indexOf(delimiter, start);
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
