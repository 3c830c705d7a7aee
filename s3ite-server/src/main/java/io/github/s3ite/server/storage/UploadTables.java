package io.github.s3ite.server.storage;

import io.github.s3ite.server.checksum.ChecksumType;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL over {@code multipart_upload}, {@code multipart_upload_part} and our attribute tables for them. */
final class UploadTables {
    /** S3's minimum size of every part but the last. */

    private final String bucket;
    private final boolean hasAttributes;

    UploadTables(String bucket, boolean hasAttributes) {
        this.bucket = bucket;
        this.hasAttributes = hasAttributes;
    }

    UploadInfo create(Connection connection, String key, Map<String, String> metadata, ObjectHeaders headers,
                      Map<String, String> tags, String checksumAlgorithm, ChecksumType checksumType, String accessKey)
            throws SQLException {
        UUID id = UUID.randomUUID();
        byte[] idBytes = bytes(id);
        String lastModified = Timestamps.format(BucketFile.now());
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO multipart_upload (upload_id, bucket, key, last_modified, access_key) VALUES (?, ?, ?, ?, ?)")) {
            statement.setBytes(1, idBytes);
            statement.setString(2, bucket);
            statement.setString(3, key);
            statement.setString(4, lastModified);
            setNullable(statement, 5, accessKey);
            statement.executeUpdate();
        }
        ObjectHeaders h = headers == null ? ObjectHeaders.NONE : headers;
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO multipart_upload_attributes (upload_id, metadata, content_type, content_encoding,"
                        + " content_disposition, content_language, cache_control, expires, tags, checksum_algorithm,"
                        + " checksum_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setBytes(1, idBytes);
            setNullable(statement, 2, Json.write(metadata));
            setNullable(statement, 3, h.contentType());
            setNullable(statement, 4, h.contentEncoding());
            setNullable(statement, 5, h.contentDisposition());
            setNullable(statement, 6, h.contentLanguage());
            setNullable(statement, 7, h.cacheControl());
            setNullable(statement, 8, h.expires());
            setNullable(statement, 9, Json.write(tags));
            setNullable(statement, 10, checksumAlgorithm);
            setNullable(statement, 11, checksumType == null ? null : checksumType.name());
            statement.executeUpdate();
        }
        return new UploadInfo(id.toString(), key, Timestamps.parse(lastModified), accessKey,
                metadata == null ? Map.of() : metadata, h, tags == null ? Map.of() : tags, checksumAlgorithm, checksumType);
    }

    private String selectUploads() {
        return hasAttributes
                ? "SELECT u.upload_id, u.key, u.last_modified, u.access_key, a.metadata, a.content_type,"
                        + " a.content_encoding, a.content_disposition, a.content_language, a.cache_control, a.expires,"
                        + " a.tags, a.checksum_algorithm, a.checksum_type"
                        + " FROM multipart_upload u LEFT JOIN multipart_upload_attributes a ON a.upload_id = u.upload_id"
                : "SELECT u.upload_id, u.key, u.last_modified, u.access_key FROM multipart_upload u";
    }

    private UploadInfo toUpload(ResultSet rows) throws SQLException {
        UUID id = uuid(rows.getBytes(1));
        String key = rows.getString(2);
        var initiated = Timestamps.parse(rows.getString(3));
        String accessKey = rows.getString(4);
        if (!hasAttributes) {
            return new UploadInfo(id.toString(), key, initiated, accessKey, Map.of(), ObjectHeaders.NONE, Map.of(), null, null);
        }
        ObjectHeaders headers = new ObjectHeaders(rows.getString(6), rows.getString(7), rows.getString(8),
                rows.getString(9), rows.getString(10), rows.getString(11));
        return new UploadInfo(id.toString(), key, initiated, accessKey, Json.read(rows.getString(5)), headers,
                Json.read(rows.getString(12)), rows.getString(13), ChecksumType.fromName(rows.getString(14)));
    }

    /** @throws S3Exception NoSuchUpload when the id is malformed, unknown, or belongs to another key */
    UploadInfo require(Connection connection, String uploadId, String key) throws SQLException {
        byte[] id = parseId(uploadId);
        if (id != null) {
            try (PreparedStatement statement = connection.prepareStatement(selectUploads() + " WHERE u.upload_id = ?")) {
                statement.setBytes(1, id);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        UploadInfo upload = toUpload(rows);
                        if (upload.key().equals(key)) {
                            return upload;
                        }
                    }
                }
            }
        }
        throw new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).with("UploadId", uploadId);
    }

    PartInfo putPart(Connection connection, String uploadId, int partNumber, byte[] value, StoredChecksum checksum)
            throws SQLException {
        byte[] id = parseId(uploadId);
        String md5 = HexFormat.of().formatHex(Digests.md5(value));
        String lastModified = Timestamps.format(BucketFile.now());
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO multipart_upload_part (upload_id, last_modified, part_number, value, size, md5)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (upload_id, part_number) DO UPDATE SET"
                        + " last_modified = excluded.last_modified, value = excluded.value, size = excluded.size,"
                        + " md5 = excluded.md5")) {
            statement.setBytes(1, id);
            statement.setString(2, lastModified);
            statement.setInt(3, partNumber);
            statement.setBytes(4, value);
            statement.setLong(5, value.length);
            statement.setString(6, md5);
            statement.executeUpdate();
        }
        if (hasAttributes) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM multipart_upload_part_checksum WHERE upload_id = ? AND part_number = ?")) {
                statement.setBytes(1, id);
                statement.setInt(2, partNumber);
                statement.executeUpdate();
            }
            if (checksum != null) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO multipart_upload_part_checksum (upload_id, part_number, checksum) VALUES (?, ?, ?)")) {
                    statement.setBytes(1, id);
                    statement.setInt(2, partNumber);
                    statement.setString(3, checksum.value());
                    statement.executeUpdate();
                }
            }
        }
        return new PartInfo(partNumber, md5, value.length, Timestamps.parse(lastModified), checksum);
    }

    private String selectParts() {
        return hasAttributes
                ? "SELECT p.part_number, p.last_modified, p.size, p.md5, c.checksum FROM multipart_upload_part p"
                        + " LEFT JOIN multipart_upload_part_checksum c"
                        + " ON c.upload_id = p.upload_id AND c.part_number = p.part_number"
                : "SELECT p.part_number, p.last_modified, p.size, p.md5, NULL FROM multipart_upload_part p";
    }

    PartsPage listParts(Connection connection, UploadInfo upload, int partNumberMarker, int maxParts) throws SQLException {
        List<PartInfo> parts = new ArrayList<>();
        boolean truncated = false;
        try (PreparedStatement statement = connection.prepareStatement(selectParts()
                + " WHERE p.upload_id = ? AND p.part_number > ? ORDER BY p.part_number LIMIT ?")) {
            statement.setBytes(1, parseId(upload.uploadId()));
            statement.setInt(2, partNumberMarker);
            statement.setInt(3, maxParts + 1);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (parts.size() == maxParts) {
                        truncated = true;
                        break;
                    }
                    parts.add(toPart(rows, upload.checksumAlgorithm()));
                }
            }
        }
        int next = parts.isEmpty() ? partNumberMarker : parts.get(parts.size() - 1).partNumber();
        return new PartsPage(upload, parts, truncated, next);
    }

    private static PartInfo toPart(ResultSet rows, String algorithm) throws SQLException {
        String checksumValue = rows.getString(5);
        StoredChecksum checksum = checksumValue == null || algorithm == null ? null
                : new StoredChecksum(algorithm, checksumValue, ChecksumType.FULL_OBJECT);
        String md5 = rows.getString(4);
        return new PartInfo(rows.getInt(1), md5, rows.getLong(3), Timestamps.parse(rows.getString(2)), checksum);
    }

    /** Every unfinished upload, in key order. */
    List<UploadInfo> all(Connection connection) throws SQLException {
        List<UploadInfo> all = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(selectUploads()
                + " ORDER BY u.key, u.last_modified, u.upload_id")) {
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    all.add(toUpload(rows));
                }
            }
        }
        return all;
    }

    /** Uploads in key order, then by initiation; markers and common prefixes as S3 applies them. */
    UploadsPage list(Connection connection, String prefix, String delimiter, String keyMarker, String uploadIdMarker,
                     int maxUploads) throws SQLException {
        String lower = prefix == null ? "" : prefix;
        String upper = prefix == null || prefix.isEmpty() ? null : KeyRanges.successor(prefix);
        List<UploadInfo> candidates = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(selectUploads()
                + " WHERE u.key >= ?" + (upper != null ? " AND u.key < ?" : "")
                + " ORDER BY u.key, u.last_modified, u.upload_id")) {
            statement.setString(1, lower);
            if (upper != null) {
                statement.setString(2, upper);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    candidates.add(toUpload(rows));
                }
            }
        }
        List<UploadInfo> uploads = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        boolean markerPassed = uploadIdMarker == null;
        String nextKey = null;
        String nextId = null;
        for (UploadInfo upload : candidates) {
            if (keyMarker != null) {
                int order = KeyRanges.compareUtf8(upload.key(), keyMarker);
                if (order < 0) {
                    continue;
                }
                if (order == 0) {
                    if (!markerPassed) {
                        markerPassed = upload.uploadId().equals(uploadIdMarker);
                    }
                    if (uploadIdMarker == null || !markerPassed || upload.uploadId().equals(uploadIdMarker)) {
                        continue;
                    }
                }
            }
            String rolledUp = ObjectTable.commonPrefix(upload.key(), prefix, delimiter);
            if (rolledUp != null && !prefixes.isEmpty() && prefixes.get(prefixes.size() - 1).equals(rolledUp)) {
                continue;
            }
            if (uploads.size() + prefixes.size() == maxUploads) {
                return new UploadsPage(uploads, prefixes, true, nextKey, nextId);
            }
            if (rolledUp != null) {
                prefixes.add(rolledUp);
                nextKey = rolledUp;
                nextId = null;
            } else {
                uploads.add(upload);
                nextKey = upload.key();
                nextId = upload.uploadId();
            }
        }
        return new UploadsPage(uploads, prefixes, false, nextKey, nextId);
    }

    void delete(Connection connection, String uploadId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM multipart_upload WHERE upload_id = ?")) {
            statement.setBytes(1, parseId(uploadId));
            statement.executeUpdate();
        }
    }

    /**
     * Looks up the parts a complete request names and joins them, as {@link MultipartAssembly}
     * decides, reading one part's bytes at a time.
     *
     * @param encryption for an SSE-C upload, how each of its parts was encrypted, by part number;
     *                   null for any other upload
     */
    MultipartAssembly.Assembled assemble(Connection connection, UploadInfo upload, List<CompletedPart> requested,
                                         Map<Integer, PartEncryption> encryption) throws SQLException {
        byte[] id = parseId(upload.uploadId());
        Map<Integer, PartInfo> stored = new java.util.HashMap<>();
        for (CompletedPart wanted : requested) {
            PartInfo part = part(connection, id, wanted.partNumber(), upload.checksumAlgorithm());
            if (part != null) {
                stored.put(part.partNumber(), part);
            }
        }
        MultipartAssembly assembly = MultipartAssembly.start(upload, requested, stored, encryption != null);
        for (CompletedPart wanted : requested) {
            PartInfo part = stored.get(wanted.partNumber());
            assembly.add(part, partValue(connection, id, part.partNumber()),
                    encryption == null ? null : encryption.get(part.partNumber()));
        }
        return assembly.finish();
    }

    static S3Exception entityTooLarge(long size) {
        return new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE)
                .with("ProposedSize", Long.toString(size))
                .with("MaxSizeAllowed", Long.toString(BucketFile.MAX_OBJECT_SIZE));
    }

    /**
     * The sizes of those of {@code requested} that are stored, from their recorded sizes, without
     * reading a byte of them.
     */
    PartSizes storedSizes(Connection connection, UploadInfo upload, List<CompletedPart> requested) throws SQLException {
        byte[] id = parseId(upload.uploadId());
        long total = 0;
        long largest = 0;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT size FROM multipart_upload_part WHERE upload_id = ? AND part_number = ?")) {
            for (CompletedPart part : requested) {
                statement.setBytes(1, id);
                statement.setInt(2, part.partNumber());
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        total += rows.getLong(1);
                        largest = Math.max(largest, rows.getLong(1));
                    }
                }
            }
        }
        return new PartSizes(total, largest);
    }

    /** The total size of some parts, and the size of the largest of them. */
    record PartSizes(long total, long largest) {
    }

    private PartInfo part(Connection connection, byte[] id, int partNumber, String algorithm) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(selectParts()
                + " WHERE p.upload_id = ? AND p.part_number = ?")) {
            statement.setBytes(1, id);
            statement.setInt(2, partNumber);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? toPart(rows, algorithm) : null;
            }
        }
    }

    private static byte[] partValue(Connection connection, byte[] id, int partNumber) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT value FROM multipart_upload_part WHERE upload_id = ? AND part_number = ?")) {
            statement.setBytes(1, id);
            statement.setInt(2, partNumber);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                byte[] bytes = rows.getBytes(1);
                return bytes == null ? new byte[0] : bytes;
            }
        }
    }

    /** 16 raw bytes of a UUID given in its hyphenated or 32-hex form; null when it is neither. */
    static byte[] parseId(String uploadId) {
        if (uploadId == null) {
            return null;
        }
        try {
            if (uploadId.length() == 36) {
                return bytes(UUID.fromString(uploadId));
            }
            if (uploadId.length() == 32) {
                return HexFormat.of().parseHex(uploadId);
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    private static UUID uuid(byte[] bytes) {
        if (bytes == null || bytes.length != 16) {
            return new UUID(0, 0);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
