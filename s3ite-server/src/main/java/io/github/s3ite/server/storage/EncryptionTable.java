package io.github.s3ite.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL over {@code object_encryption} and {@code object_encryption_part}, {@code multipart_upload_encryption}
 * and {@code multipart_upload_part_encryption}, and the {@code encryption} document of
 * {@code bucket_configuration}. A version's row is found by key and version id, so it follows the
 * version between {@code data} and {@code object_version} without being copied; it holds only while
 * its {@code last_modified} equals the version's (the original, which does not know the table, may
 * have rewritten the object). A version without a row is plain SSE-S3. An SSE-C version's first
 * segment is the row's {@code iv}; an object completed from parts has a row in
 * {@code object_encryption_part} for each later one, removed with the version's row.
 */
final class EncryptionTable {
    private static final String COLUMNS = "algorithm, kms_key_id, bucket_key_enabled, kms_context";
    private static final String FIND = "SELECT " + COLUMNS + ", customer_algorithm, customer_key_md5, iv, last_modified"
            + " FROM object_encryption WHERE key = ? AND version_id = ?";
    private static final String DELETE = "DELETE FROM object_encryption WHERE key = ? AND version_id = ?";
    private final boolean exists;
    private final boolean multipart;

    /**
     * Whether {@code object_encryption} may hold a row: false only while it is known to hold none,
     * as in a bucket where nothing was ever stored with SSE-C or SSE-KMS, so that reads and writes
     * of plain objects skip its SQL. Learned when the file opens, set before any row is inserted
     * (rows come from {@link #write} alone), and never cleared.
     */
    private volatile boolean mayHaveRows = true;

    /**
     * @param exists    whether the file has the tables (a file opened read-only may predate them)
     * @param multipart whether it has those of SSE-C multipart uploads too (likewise)
     */
    EncryptionTable(boolean exists, boolean multipart) {
        this.exists = exists;
        this.multipart = exists && multipart;
    }

    /** Learns whether {@code object_encryption} holds a row; once, when the file opens. */
    void learnRows(Connection connection) throws SQLException {
        mayHaveRows = exists && Statements.anyRow(connection, "SELECT 1 FROM object_encryption LIMIT 1");
    }

    /** Whether a read must take an object's description and its encryption in one snapshot. */
    boolean mayHaveRows() {
        return exists && mayHaveRows;
    }

    ObjectEncryption find(Connection connection, ObjectInfo info) throws SQLException {
        if (!exists || info.deleteMarker() || !mayHaveRows) {
            return null;
        }
        Statements statements = Statements.of(connection);
        PreparedStatement statement = statements.prepare(FIND);
        statement.setString(1, info.key());
        statement.setString(2, info.versionId());
        ObjectEncryption found;
        try (ResultSet rows = statements.query(statement)) {
            if (!rows.next() || !Timestamps.parse(rows.getString(8)).equals(info.lastModified())) {
                return null;
            }
            byte[] iv = rows.getBytes(7);
            found = new ObjectEncryption(rows.getString(1), rows.getString(2), rows.getInt(3) != 0,
                    rows.getString(4), rows.getString(5), rows.getString(6),
                    iv == null ? List.of() : List.of(new ObjectEncryption.Segment(0, iv)));
        }
        if (!found.isCustomerKey() || !multipart) {
            return found;
        }
        return ObjectEncryption.customer(found.customerKeyMd5(), segments(connection, info, found.segments()));
    }

    /** The segments of a version: the first one, then those of {@code object_encryption_part} by offset. */
    private static List<ObjectEncryption.Segment> segments(Connection connection, ObjectInfo info,
                                                           List<ObjectEncryption.Segment> first) throws SQLException {
        List<ObjectEncryption.Segment> segments = new ArrayList<>(first);
        try (PreparedStatement statement = connection.prepareStatement("SELECT byte_offset, iv FROM object_encryption_part"
                + " WHERE key = ? AND version_id = ? ORDER BY byte_offset")) {
            statement.setString(1, info.key());
            statement.setString(2, info.versionId());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    segments.add(new ObjectEncryption.Segment(rows.getLong(1), rows.getBytes(2)));
                }
            }
        }
        return segments;
    }

    /** Records how a new version is encrypted; plain SSE-S3 (or null) leaves no row. */
    void write(Connection connection, String key, String versionId, Instant lastModified, ObjectEncryption encryption)
            throws SQLException {
        if (mayHaveRows) {
            PreparedStatement delete = Statements.of(connection).prepare(DELETE);
            delete.setString(1, key);
            delete.setString(2, versionId);
            delete.executeUpdate();
        }
        if (encryption == null || encryption.isDefault()) {
            return;
        }
        mayHaveRows = true;
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO object_encryption (key, version_id,"
                + " last_modified, " + COLUMNS + ", customer_algorithm, customer_key_md5, iv)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, key);
            statement.setString(2, versionId);
            statement.setString(3, Timestamps.format(lastModified));
            statement.setString(4, encryption.serverSideEncryption());
            statement.setString(5, encryption.kmsKeyId());
            statement.setInt(6, encryption.bucketKeyEnabled() ? 1 : 0);
            statement.setString(7, encryption.kmsContext());
            statement.setString(8, encryption.customerAlgorithm());
            statement.setString(9, encryption.customerKeyMd5());
            statement.setBytes(10, encryption.segments().isEmpty() ? null : encryption.segments().get(0).iv());
            statement.executeUpdate();
        }
        if (encryption.segments().size() > 1) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO object_encryption_part (key, version_id, byte_offset, iv) VALUES (?, ?, ?, ?)")) {
                for (ObjectEncryption.Segment segment : encryption.segments().subList(1, encryption.segments().size())) {
                    statement.setString(1, key);
                    statement.setString(2, versionId);
                    statement.setLong(3, segment.offset());
                    statement.setBytes(4, segment.iv());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
    }

    /** Removes the rows of {@code key} whose version is gone. */
    void removeOrphans(Connection connection, String key) throws SQLException {
        VersionRows.removeOrphans(connection, "object_encryption", key);
    }

    void setUpload(Connection connection, byte[] uploadId, ObjectEncryption encryption) throws SQLException {
        if (encryption == null || encryption.isDefault()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO multipart_upload_encryption"
                + " (upload_id, " + COLUMNS + ", customer_algorithm, customer_key_md5) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            statement.setBytes(1, uploadId);
            statement.setString(2, encryption.serverSideEncryption());
            statement.setString(3, encryption.kmsKeyId());
            statement.setInt(4, encryption.bucketKeyEnabled() ? 1 : 0);
            statement.setString(5, encryption.kmsContext());
            statement.setString(6, encryption.customerAlgorithm());
            statement.setString(7, encryption.customerKeyMd5());
            statement.executeUpdate();
        }
    }

    /** How the object an upload makes is to be encrypted (SSE-C without segments); null for plain SSE-S3. */
    ObjectEncryption upload(Connection connection, byte[] uploadId) throws SQLException {
        if (!exists) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + (multipart ? ", customer_algorithm, customer_key_md5" : ", NULL, NULL")
                + " FROM multipart_upload_encryption WHERE upload_id = ?")) {
            statement.setBytes(1, uploadId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new ObjectEncryption(rows.getString(1), rows.getString(2), rows.getInt(3) != 0,
                        rows.getString(4), rows.getString(5), rows.getString(6), List.of()) : null;
            }
        }
    }

    /** Records how a part of an SSE-C upload was encrypted, replacing what a part of the same number had. */
    void setPart(Connection connection, byte[] uploadId, int partNumber, PartEncryption part) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT OR REPLACE INTO"
                + " multipart_upload_part_encryption (upload_id, part_number, iv, plaintext_crc64nvme) VALUES (?, ?, ?, ?)")) {
            statement.setBytes(1, uploadId);
            statement.setInt(2, partNumber);
            statement.setBytes(3, part.iv());
            statement.setString(4, part.plaintextCrc64nvme());
            statement.executeUpdate();
        }
    }

    /** How those of the parts numbered {@code partNumbers} that have a row were encrypted, by part number. */
    Map<Integer, PartEncryption> parts(Connection connection, byte[] uploadId, List<Integer> partNumbers)
            throws SQLException {
        Map<Integer, PartEncryption> parts = new HashMap<>();
        if (!multipart) {
            return parts;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT iv, plaintext_crc64nvme"
                + " FROM multipart_upload_part_encryption WHERE upload_id = ? AND part_number = ?")) {
            for (int partNumber : partNumbers) {
                statement.setBytes(1, uploadId);
                statement.setInt(2, partNumber);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        parts.put(partNumber, new PartEncryption(rows.getBytes(1), rows.getString(2)));
                    }
                }
            }
        }
        return parts;
    }

    DefaultEncryption configuration(Connection connection) throws SQLException {
        if (!exists) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT document FROM bucket_configuration WHERE name = 'encryption'")) {
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? DefaultEncryption.parse(rows.getString(1)) : null;
            }
        }
    }

    void setConfiguration(Connection connection, DefaultEncryption configuration) throws SQLException {
        if (configuration == null) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM bucket_configuration WHERE name = 'encryption'")) {
                statement.executeUpdate();
            }
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT OR REPLACE INTO bucket_configuration (name, document) VALUES ('encryption', ?)")) {
            statement.setString(1, configuration.document());
            statement.executeUpdate();
        }
    }
}
