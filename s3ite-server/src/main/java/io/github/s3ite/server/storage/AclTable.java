package io.github.s3ite.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * SQL over {@code object_acl} and {@code multipart_upload_acl}: each version's ACL, the
 * {@code AccessControlPolicy} document GetObjectAcl answers. Like {@code object_encryption}, a row
 * is found by key and version id and holds only while its {@code last_modified} equals the
 * version's; a version without one is private to the bucket's owner.
 */
final class AclTable {
    private final boolean exists;

    /**
     * Whether {@code object_acl} may hold a row: false only while it is known to hold none (no
     * object was ever given an ACL of its own), so that writes and reads skip its SQL. Learned when
     * the file opens, set before any row is inserted (rows come from {@link #write} alone), and
     * never cleared.
     */
    private volatile boolean mayHaveRows = true;

    /** @param exists whether the file has the tables (a file opened read-only may predate them) */
    AclTable(boolean exists) {
        this.exists = exists;
    }

    /** Learns whether {@code object_acl} holds a row; once, when the file opens. */
    void learnRows(Connection connection) throws SQLException {
        mayHaveRows = exists && Statements.anyRow(connection, "SELECT 1 FROM object_acl LIMIT 1");
    }

    String find(Connection connection, ObjectInfo info) throws SQLException {
        if (!exists || info.deleteMarker() || !mayHaveRows) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT document, last_modified FROM object_acl WHERE key = ? AND version_id = ?")) {
            statement.setString(1, info.key());
            statement.setString(2, info.versionId());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next() || !Timestamps.parse(rows.getString(2)).equals(info.lastModified())) {
                    return null;
                }
                return rows.getString(1);
            }
        }
    }

    /** Records a version's ACL; null leaves the version private to the bucket's owner. */
    void write(Connection connection, String key, String versionId, Instant lastModified, String document)
            throws SQLException {
        if (mayHaveRows) {
            PreparedStatement delete = Statements.of(connection).prepare("DELETE FROM object_acl WHERE key = ? AND version_id = ?");
            delete.setString(1, key);
            delete.setString(2, versionId);
            delete.executeUpdate();
        }
        if (document == null) {
            return;
        }
        mayHaveRows = true;
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO object_acl (key, version_id, last_modified, document) VALUES (?, ?, ?, ?)")) {
            statement.setString(1, key);
            statement.setString(2, versionId);
            statement.setString(3, Timestamps.format(lastModified));
            statement.setString(4, document);
            statement.executeUpdate();
        }
    }

    /** Removes the rows of {@code key} whose version is gone. */
    void removeOrphans(Connection connection, String key) throws SQLException {
        VersionRows.removeOrphans(connection, "object_acl", key);
    }

    void setUpload(Connection connection, byte[] uploadId, String document) throws SQLException {
        if (document == null) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO multipart_upload_acl (upload_id, document) VALUES (?, ?)")) {
            statement.setBytes(1, uploadId);
            statement.setString(2, document);
            statement.executeUpdate();
        }
    }

    /** The ACL the object an upload makes is to get; null for the bucket owner's private one. */
    String upload(Connection connection, byte[] uploadId) throws SQLException {
        if (!exists) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT document FROM multipart_upload_acl WHERE upload_id = ?")) {
            statement.setBytes(1, uploadId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }
}
