package io.github.s3ite.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SQL over {@code object_version} (the versions of a key that are not its {@code data} row) and
 * {@code bucket_configuration}. A version moves between {@code data} and {@code object_version}
 * whole, bytes included, by statements that never bring its bytes into Java.
 */
final class VersionTable {
    /** The {@code sequence} a key's {@code data} row sorts as: newer than any of its other versions. */
    private static final long CURRENT = Long.MAX_VALUE;
    private static final String VERSION_COLUMNS =
            "v.key, v.size, v.md5, v.last_modified, v.metadata, v.last_modified, v.etag, v.content_type,"
                    + " v.content_encoding, v.content_disposition, v.content_language, v.cache_control, v.expires,"
                    + " v.checksum_algorithm, v.checksum_type, v.checksum, v.parts_count, v.tags, v.version_id";
    private static final String ATTRIBUTE_COLUMNS = "content_type, content_encoding, content_disposition,"
            + " content_language, cache_control, expires, checksum_algorithm, checksum_type, checksum, parts_count, tags";

    private final ObjectTable objects;
    private final boolean present;

    /** @param present whether the file has our version tables (a read-only file may predate them) */
    VersionTable(ObjectTable objects, boolean present) {
        this.objects = objects;
        this.present = present;
    }

    Versioning versioning(Connection connection) throws SQLException {
        if (!present) {
            return Versioning.UNVERSIONED;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT document FROM bucket_configuration WHERE name = 'versioning'")) {
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Versioning.parse(rows.getString(1)) : Versioning.UNVERSIONED;
            }
        }
    }

    void setVersioning(Connection connection, Versioning versioning) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT OR REPLACE INTO bucket_configuration (name, document) VALUES ('versioning', ?)")) {
            statement.setString(1, versioning.document());
            statement.executeUpdate();
        }
    }

    /**
     * Moves the key's {@code data} row (if any), with its attributes, into {@code object_version}
     * as its newest version.
     */
    void archiveCurrent(Connection connection, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO object_version (key, sequence, version_id, is_delete_marker, value, size, metadata,"
                        + " last_modified, md5, etag, " + ATTRIBUTE_COLUMNS + ")"
                        + " SELECT d.key, (SELECT coalesce(max(sequence), 0) + 1 FROM object_version WHERE key = d.key),"
                        + " coalesce(CASE WHEN a.last_modified = d.last_modified THEN a.version_id END, 'null'), 0,"
                        + " coalesce(d.value, X''), d.size, d.metadata, d.last_modified, d.md5,"
                        + " coalesce(CASE WHEN a.last_modified = d.last_modified THEN a.etag END, d.md5, '"
                        + ObjectTable.EMPTY_ETAG + "'), " + validAttributes()
                        + " FROM data d LEFT JOIN object_attributes a ON a.key = d.key WHERE d.key = ?")) {
            statement.setString(1, key);
            statement.executeUpdate();
        }
        objects.delete(connection, key);
    }

    private static String validAttributes() {
        StringBuilder columns = new StringBuilder();
        for (String column : ATTRIBUTE_COLUMNS.split(",")) {
            if (columns.length() > 0) {
                columns.append(", ");
            }
            columns.append("CASE WHEN a.last_modified = d.last_modified THEN a.").append(column.trim()).append(" END");
        }
        return columns.toString();
    }

    void insertDeleteMarker(Connection connection, String key, String versionId, String lastModified)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO object_version (key, sequence, version_id, is_delete_marker, value, size, last_modified,"
                        + " etag) VALUES (?, (SELECT coalesce(max(sequence), 0) + 1 FROM object_version WHERE key = ?),"
                        + " ?, 1, NULL, 0, ?, '')")) {
            statement.setString(1, key);
            statement.setString(2, key);
            statement.setString(3, versionId);
            statement.setString(4, lastModified);
            statement.executeUpdate();
        }
    }

    /** A version kept in {@code object_version}, as far as moving it needs. */
    record Row(long sequence, String versionId, boolean deleteMarker) {
    }

    /** Whether any key has a version in {@code object_version}. */
    boolean any(Connection connection) throws SQLException {
        if (!present) {
            return false;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM object_version LIMIT 1")) {
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The newest of the key's versions in {@code object_version}, or null. */
    Row newest(Connection connection, String key) throws SQLException {
        if (!present) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT sequence, version_id, is_delete_marker FROM object_version WHERE key = ?"
                        + " ORDER BY sequence DESC LIMIT 1")) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new Row(rows.getLong(1), rows.getString(2), rows.getInt(3) != 0) : null;
            }
        }
    }

    Row row(Connection connection, String key, String versionId) throws SQLException {
        if (!present) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT sequence, version_id, is_delete_marker FROM object_version WHERE key = ? AND version_id = ?")) {
            statement.setString(1, key);
            statement.setString(2, versionId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new Row(rows.getLong(1), rows.getString(2), rows.getInt(3) != 0) : null;
            }
        }
    }

    void delete(Connection connection, String key, String versionId) throws SQLException {
        if (!present) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM object_version WHERE key = ? AND version_id = ?")) {
            statement.setString(1, key);
            statement.setString(2, versionId);
            statement.executeUpdate();
        }
    }

    /**
     * Makes the newest version in {@code object_version} the key's {@code data} row again, when it
     * is an object and not a delete marker. For a key without a {@code data} row.
     */
    void promoteNewest(Connection connection, String key) throws SQLException {
        Row newest = newest(connection, key);
        if (newest == null || newest.deleteMarker()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO data (key, value, size, metadata, last_modified, md5)"
                        + " SELECT key, value, size, metadata, last_modified, md5 FROM object_version"
                        + " WHERE key = ? AND sequence = ?")) {
            statement.setString(1, key);
            statement.setLong(2, newest.sequence());
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO object_attributes (key, last_modified, etag, " + ATTRIBUTE_COLUMNS + ", version_id)"
                        + " SELECT key, last_modified, etag, " + ATTRIBUTE_COLUMNS
                        + ", CASE WHEN version_id <> 'null' THEN version_id END"
                        + " FROM object_version WHERE key = ? AND sequence = ?")) {
            statement.setString(1, key);
            statement.setLong(2, newest.sequence());
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM object_version WHERE key = ? AND sequence = ?")) {
            statement.setString(1, key);
            statement.setLong(2, newest.sequence());
            statement.executeUpdate();
        }
    }

    /** The key's versions kept in {@code object_version} (not its {@code data} row), newest first. */
    List<ObjectInfo> history(Connection connection, String key) throws SQLException {
        List<ObjectInfo> history = new ArrayList<>();
        if (!present) {
            return history;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + VERSION_COLUMNS
                + ", v.is_delete_marker FROM object_version v WHERE v.key = ? ORDER BY v.sequence DESC")) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    history.add(toInfo(rows, 20));
                }
            }
        }
        return history;
    }

    /** A version kept in {@code object_version} and, when it is small, its whole value. */
    ObjectTable.Found find(Connection connection, String key, String versionId) throws SQLException {
        if (!present) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + VERSION_COLUMNS
                + ", v.is_delete_marker, CASE WHEN v.size <= " + ObjectTable.SMALL_OBJECT + " THEN coalesce(v.value, X'') END"
                + " FROM object_version v WHERE v.key = ? AND v.version_id = ?")) {
            statement.setString(1, key);
            statement.setString(2, versionId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                return new ObjectTable.Found(toInfo(rows, 20), rows.getBytes(21));
            }
        }
    }

    private ObjectInfo toInfo(ResultSet rows, int markerColumn) throws SQLException {
        ObjectInfo info = objects.toInfo(rows);
        if (rows.getInt(markerColumn) != 0) {
            return ObjectInfo.deleteMarker(info.key(), info.versionId(), info.lastModified());
        }
        return info;
    }

    /** The bytes of {@code slice} of a version; from offset 0 to Long.MAX_VALUE, all of them. */
    byte[] value(Connection connection, String key, String versionId, ByteSlice slice) throws SQLException {
        boolean whole = slice.offset() == 0 && slice.length() == Long.MAX_VALUE;
        try (PreparedStatement statement = connection.prepareStatement(whole
                ? "SELECT value FROM object_version WHERE key = ? AND version_id = ?"
                : "SELECT substr(value, ?, ?) FROM object_version WHERE key = ? AND version_id = ?")) {
            int index = 1;
            if (!whole) {
                statement.setLong(index++, slice.offset() + 1);
                statement.setLong(index++, slice.length());
            }
            statement.setString(index++, key);
            statement.setString(index, versionId);
            try (ResultSet rows = statement.executeQuery()) {
                byte[] bytes = rows.next() ? rows.getBytes(1) : null;
                return bytes == null ? new byte[0] : bytes;
            }
        }
    }

    /** @return false when there is no such version in {@code object_version} */
    boolean setTags(Connection connection, String key, String versionId, Map<String, String> tags) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE object_version SET tags = ? WHERE key = ? AND version_id = ? AND is_delete_marker = 0")) {
            String json = Json.write(tags);
            if (json == null) {
                statement.setNull(1, java.sql.Types.VARCHAR);
            } else {
                statement.setString(1, json);
            }
            statement.setString(2, key);
            statement.setString(3, versionId);
            return statement.executeUpdate() > 0;
        }
    }

    /**
     * A page of ListObjectVersions: the {@code data} rows and {@code object_version} rows of the
     * key range, merged in one statement in key order, each key's versions newest first (its
     * {@code data} row, then by descending sequence), so that a key's first row is its latest.
     * With a delimiter, the keys of a common prefix count once and the scan jumps past them.
     */
    ListedVersion.Page list(Connection connection, String prefix, String delimiter, String keyMarker,
                            String versionIdMarker, int maxKeys) throws SQLException {
        List<ListedVersion> versions = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        if (maxKeys <= 0) {
            return new ListedVersion.Page(versions, prefixes, false, null, null);
        }
        String lower = prefix == null ? "" : prefix;
        String upper = prefix == null || prefix.isEmpty() ? null : KeyRanges.successor(prefix);
        String afterKey = null;
        long beforeSequence = 0;
        if (keyMarker != null && KeyRanges.compareUtf8(keyMarker, lower) >= 0) {
            String rolledUp = ObjectTable.commonPrefix(keyMarker, prefix, delimiter);
            if (rolledUp != null && rolledUp.equals(keyMarker)) {
                lower = KeyRanges.successor(rolledUp);
                if (lower == null) {
                    return new ListedVersion.Page(versions, prefixes, false, null, null);
                }
            } else {
                lower = keyMarker;
                afterKey = keyMarker;
                beforeSequence = versionIdMarker == null ? 0 : sequenceOf(connection, keyMarker, versionIdMarker);
            }
        }
        int columns = objects.columns().split(",").length;
        String range = " >= ?" + (upper != null ? " AND %1$s < ?" : "");
        StringBuilder sql = new StringBuilder("SELECT * FROM (SELECT ").append(objects.columns())
                .append(", ").append(CURRENT).append(" AS sequence, 0 AS marker")
                .append(" FROM data d LEFT JOIN object_attributes a ON a.key = d.key WHERE d.key")
                .append(String.format(range, "d.key"));
        if (present) {
            sql.append(" UNION ALL SELECT ").append(VERSION_COLUMNS).append(", v.sequence, v.is_delete_marker")
                    .append(" FROM object_version v WHERE v.key").append(String.format(range, "v.key"));
        }
        sql.append(") WHERE (? IS NULL OR key > ? OR (key = ? AND sequence < ?)) ORDER BY key, sequence DESC LIMIT ?");
        String query = sql.toString();
        String lastKey = null;
        String lastVersion = null;
        String previousKey = null;
        while (true) {
            String jumpTo = null;
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                int index = 1;
                for (int part = 0; part < (present ? 2 : 1); part++) {
                    statement.setString(index++, lower);
                    if (upper != null) {
                        statement.setString(index++, upper);
                    }
                }
                statement.setString(index++, afterKey);
                statement.setString(index++, afterKey);
                statement.setString(index++, afterKey);
                statement.setLong(index++, beforeSequence);
                statement.setInt(index, maxKeys - versions.size() - prefixes.size() + 1);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String key = rows.getString(1);
                        String rolledUp = ObjectTable.commonPrefix(key, prefix, delimiter);
                        if (versions.size() + prefixes.size() == maxKeys) {
                            return new ListedVersion.Page(versions, prefixes, true, lastKey, lastVersion);
                        }
                        if (rolledUp != null) {
                            prefixes.add(rolledUp);
                            lastKey = rolledUp;
                            lastVersion = null;
                            jumpTo = KeyRanges.successor(rolledUp);
                            break;
                        }
                        ObjectInfo info = toInfo(rows, columns + 2);
                        boolean latest = !key.equals(previousKey)
                                && !(key.equals(afterKey) && beforeSequence > 0);
                        versions.add(new ListedVersion(info, latest));
                        previousKey = key;
                        lastKey = key;
                        lastVersion = info.versionId();
                    }
                }
            }
            if (jumpTo == null) {
                return new ListedVersion.Page(versions, prefixes, false, null, null);
            }
            lower = jumpTo;
            afterKey = null;
            beforeSequence = 0;
        }
    }

    /**
     * Where a version-id-marker points in its key's versions: the sequence to continue below.
     * An unknown marker continues after the whole key.
     */
    private long sequenceOf(Connection connection, String key, String versionId) throws SQLException {
        ObjectInfo current = objects.info(connection, key);
        if (current != null && current.versionId().equals(versionId)) {
            return CURRENT;
        }
        Row row = row(connection, key, versionId);
        return row == null ? 0 : row.sequence();
    }
}
