package io.github.s3ite.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * SQL over {@code object_lock} (a version's retention and legal hold, by key and version id: a
 * version keeps its id whether it is in {@code data} or {@code object_version}, so nothing moves
 * here when it does), {@code multipart_upload_lock} and the bucket's {@code object-lock}
 * configuration.
 */
final class LockTable {
    private final boolean present;

    /** @param present whether the file has the lock tables (a read-only file may predate them) */
    LockTable(boolean present) {
        this.present = present;
    }

    ObjectLockConfiguration configuration(Connection connection) throws SQLException {
        if (!present) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT document FROM bucket_configuration WHERE name = 'object-lock'")) {
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? ObjectLockConfiguration.parse(rows.getString(1)) : null;
            }
        }
    }

    void setConfiguration(Connection connection, ObjectLockConfiguration configuration) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT OR REPLACE INTO bucket_configuration (name, document) VALUES ('object-lock', ?)")) {
            statement.setString(1, configuration.document());
            statement.executeUpdate();
        }
    }

    ObjectLock lock(Connection connection, String key, String versionId) throws SQLException {
        if (!present) {
            return ObjectLock.NONE;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT mode, retain_until, legal_hold FROM object_lock WHERE key = ? AND version_id = ?")) {
            statement.setString(1, key);
            statement.setString(2, versionId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? toLock(rows) : ObjectLock.NONE;
            }
        }
    }

    private static ObjectLock toLock(ResultSet rows) throws SQLException {
        String until = rows.getString(2);
        String hold = rows.getString(3);
        return new ObjectLock(ObjectLock.Mode.fromName(rows.getString(1)), until == null ? null : Instant.parse(until),
                hold == null ? null : hold.equals("ON"));
    }

    void setLock(Connection connection, String key, String versionId, ObjectLock lock) throws SQLException {
        remove(connection, key, versionId);
        if (lock == null || lock.isNone()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO object_lock (key, version_id, mode, retain_until, legal_hold) VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, key);
            statement.setString(2, versionId);
            bind(statement, 3, lock);
            statement.executeUpdate();
        }
    }

    void remove(Connection connection, String key, String versionId) throws SQLException {
        if (!present) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM object_lock WHERE key = ? AND version_id = ?")) {
            statement.setString(1, key);
            statement.setString(2, versionId);
            statement.executeUpdate();
        }
    }

    ObjectLock uploadLock(Connection connection, byte[] uploadId) throws SQLException {
        if (!present) {
            return ObjectLock.NONE;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT mode, retain_until, legal_hold FROM multipart_upload_lock WHERE upload_id = ?")) {
            statement.setBytes(1, uploadId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? toLock(rows) : ObjectLock.NONE;
            }
        }
    }

    void setUploadLock(Connection connection, byte[] uploadId, ObjectLock lock) throws SQLException {
        if (lock == null || lock.isNone()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO multipart_upload_lock (upload_id, mode, retain_until, legal_hold) VALUES (?, ?, ?, ?)")) {
            statement.setBytes(1, uploadId);
            bind(statement, 2, lock);
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, int first, ObjectLock lock) throws SQLException {
        if (lock.mode() == null) {
            statement.setNull(first, Types.VARCHAR);
            statement.setNull(first + 1, Types.VARCHAR);
        } else {
            statement.setString(first, lock.mode().name());
            statement.setString(first + 1, lock.retainUntil().toString());
        }
        if (lock.legalHold() == null) {
            statement.setNull(first + 2, Types.VARCHAR);
        } else {
            statement.setString(first + 2, lock.legalHold() ? "ON" : "OFF");
        }
    }
}
