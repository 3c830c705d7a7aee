package io.github.s3ite.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * SQL over {@code multipart_upload_completed}: what each CompleteMultipartUpload of the last day
 * answered (ETag, checksum, version id and encryption), so that a client retrying a completion that
 * succeeded gets the same answer, as from S3.
 */
final class CompletedUploadTable {
    /** How long a completed upload id is remembered. */
    static final Duration KEPT = Duration.ofDays(1);

    /** The answer a completion gave, as an object description; null when the id is not remembered. */
    ObjectInfo find(Connection connection, String uploadId, String key) throws SQLException {
        byte[] id = UploadTables.parseId(uploadId);
        if (id == null) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT completed, etag, checksum_algorithm, checksum_type, checksum, version_id,"
                        + " algorithm, kms_key_id, bucket_key_enabled, customer_key_md5 FROM multipart_upload_completed"
                        + " WHERE upload_id = ? AND key = ?")) {
            statement.setBytes(1, id);
            statement.setString(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                String algorithm = rows.getString(3);
                StoredChecksum checksum = algorithm == null ? null
                        : new StoredChecksum(algorithm, rows.getString(5), ObjectTable.storedType(rows.getString(4)));
                String etag = rows.getString(2);
                String versionId = rows.getString(6);
                return new ObjectInfo(key, 0, etag, null, Timestamps.parse(rows.getString(1)), Map.of(),
                        ObjectHeaders.NONE, checksum, 0, Map.of(), versionId == null ? VersionIds.NULL : versionId, false)
                        .withEncryption(encryption(rows));
            }
        }
    }

    /** How the object was encrypted; null (SSE-S3) also for a row remembered before the columns existed. */
    private static ObjectEncryption encryption(ResultSet rows) throws SQLException {
        if (rows.getString(10) != null) {
            return ObjectEncryption.customer(rows.getString(10), List.of());
        }
        String algorithm = rows.getString(7);
        return algorithm == null ? null
                : ObjectEncryption.serverSide(algorithm, rows.getString(8), rows.getInt(9) != 0, null);
    }

    /** Remembers a completion, and forgets those older than {@link #KEPT}. */
    void remember(Connection connection, String uploadId, ObjectInfo stored) throws SQLException {
        Instant now = BucketFile.now();
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM multipart_upload_completed WHERE completed < ?")) {
            statement.setString(1, Timestamps.format(now.minus(KEPT)));
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT OR REPLACE INTO multipart_upload_completed (upload_id, key, completed, etag, checksum_algorithm,"
                        + " checksum_type, checksum, version_id, algorithm, kms_key_id, bucket_key_enabled, customer_key_md5)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            StoredChecksum checksum = stored.checksum();
            statement.setBytes(1, UploadTables.parseId(uploadId));
            statement.setString(2, stored.key());
            statement.setString(3, Timestamps.format(now));
            statement.setString(4, stored.etag());
            setNullable(statement, 5, checksum == null ? null : checksum.algorithm());
            setNullable(statement, 6, checksum == null ? null : checksum.type().name());
            setNullable(statement, 7, checksum == null ? null : checksum.value());
            setNullable(statement, 8, VersionIds.NULL.equals(stored.versionId()) ? null : stored.versionId());
            ObjectEncryption encryption = stored.encryption() == null ? ObjectEncryption.SSE_S3 : stored.encryption();
            setNullable(statement, 9, encryption.serverSideEncryption());
            setNullable(statement, 10, encryption.kmsKeyId());
            statement.setInt(11, encryption.bucketKeyEnabled() ? 1 : 0);
            setNullable(statement, 12, encryption.customerKeyMd5());
            statement.executeUpdate();
        }
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
