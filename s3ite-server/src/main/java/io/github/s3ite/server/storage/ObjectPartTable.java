package io.github.s3ite.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL over {@code object_part}, the part boundaries of objects completed from multipart uploads.
 * A row counts only while its {@code last_modified} equals its object's in {@code data}.
 */
final class ObjectPartTable {
    private static final String SELECT = "SELECT p.part_number, p.byte_offset, p.size, p.etag, p.checksum"
            + " FROM object_part p JOIN data d ON d.key = p.key AND d.last_modified = p.last_modified";

    /** False for a read-only file written before the table existed: every object is then one part. */
    private final boolean present;

    ObjectPartTable(boolean present) {
        this.present = present;
    }

    /** Records the parts of an object just written with {@code lastModified} as its text timestamp. */
    void write(Connection connection, String key, String lastModified, List<ObjectPart> parts) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT OR REPLACE INTO object_part (key, last_modified, part_number, byte_offset, size, etag, checksum)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (ObjectPart part : parts) {
                statement.setString(1, key);
                statement.setString(2, lastModified);
                statement.setInt(3, part.partNumber());
                statement.setLong(4, part.offset());
                statement.setLong(5, part.size());
                statement.setString(6, part.etag());
                if (part.checksum() == null) {
                    statement.setNull(7, Types.VARCHAR);
                } else {
                    statement.setString(7, part.checksum().value());
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** How many parts the current object has; 0 when it was not completed from parts. */
    int count(Connection connection, String key) throws SQLException {
        if (!present) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM object_part p JOIN data d ON d.key = p.key AND d.last_modified = p.last_modified"
                        + " WHERE p.key = ?")) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        }
    }

    /** The part of the current object with that number, or null. */
    ObjectPart part(Connection connection, ObjectInfo object, int partNumber) throws SQLException {
        if (!present) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement(SELECT + " WHERE p.key = ? AND p.part_number = ?")) {
            statement.setString(1, object.key());
            statement.setInt(2, partNumber);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? toPart(rows, object) : null;
            }
        }
    }

    /** Up to {@code limit} parts of the current object numbered above {@code marker}. */
    List<ObjectPart> list(Connection connection, ObjectInfo object, int marker, int limit) throws SQLException {
        List<ObjectPart> parts = new ArrayList<>();
        if (!present || limit <= 0) {
            return parts;
        }
        try (PreparedStatement statement = connection.prepareStatement(SELECT
                + " WHERE p.key = ? AND p.part_number > ? ORDER BY p.part_number LIMIT ?")) {
            statement.setString(1, object.key());
            statement.setInt(2, marker);
            statement.setInt(3, limit);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    parts.add(toPart(rows, object));
                }
            }
        }
        return parts;
    }

    private static ObjectPart toPart(ResultSet rows, ObjectInfo object) throws SQLException {
        String checksum = rows.getString(5);
        StoredChecksum partChecksum = checksum == null || object.checksum() == null ? null
                : new StoredChecksum(object.checksum().algorithm(), checksum, object.checksum().type());
        return new ObjectPart(rows.getInt(1), rows.getLong(2), rows.getLong(3), rows.getString(4), partChecksum);
    }
}
