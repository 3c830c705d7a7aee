package io.github.s3ite.server.storage;

/**
 * The tables of a bucket file. The first three, with their exact text, are the original Rust
 * s3ite's; the others are ours, ignored by the original, and keep what it has no column for.
 */
final class Schema {
    private Schema() {
    }

    static final String[] ORIGINAL = {
        """
        CREATE TABLE IF NOT EXISTS data (
            key TEXT PRIMARY KEY,
            value BLOB,
            size INTEGER NOT NULL,
            metadata TEXT,
            last_modified TEXT NOT NULL,
            md5 TEXT
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS multipart_upload (
            upload_id BLOB NOT NULL PRIMARY KEY,
            bucket TEXT NOT NULL,
            key TEXT NOT NULL,
            last_modified TEXT NOT NULL,
            access_key TEXT
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE UNIQUE INDEX IF NOT EXISTS multipart_upload_unique_upload_id_bucket_key \
        ON multipart_upload(upload_id, bucket, key)""",
        """
        CREATE TABLE IF NOT EXISTS multipart_upload_part (
            upload_id BLOB NOT NULL,
            last_modified TEXT NOT NULL,
            part_number INTEGER NOT NULL,
            value BLOB NOT NULL,
            size INTEGER NOT NULL,
            md5 TEXT,
            PRIMARY KEY (upload_id, part_number),
            FOREIGN KEY (upload_id) REFERENCES multipart_upload (upload_id) ON DELETE CASCADE
        ) STRICT"""
    };

    /**
     * What the original has no column for. A row of {@code object_attributes} or {@code object_part}
     * holds only while its {@code last_modified} equals the object's: the original, which does not
     * know these tables, may have rewritten the object since. {@code object_part} keeps the part
     * boundaries of the current object when it was completed from a multipart upload (an object
     * without rows there is one part); {@code multipart_upload_completed} remembers completed uploads
     * for a day, so that a repeated CompleteMultipartUpload answers as the first did.
     * {@code object_version} holds the versions of a key that are not in {@code data}: non-current
     * versions and delete markers, a larger {@code sequence} for a newer one (their part boundaries
     * are not kept: a non-current version is served as one part). {@code bucket_configuration} holds
     * one document per bucket-level configuration (the {@code VersioningConfiguration} under the name
     * {@code versioning}, the {@code ObjectLockConfiguration} under {@code object-lock}, and the
     * documents GetBucketTagging, GetBucketLogging and the other configuration reads answer, under
     * {@code tagging}, {@code logging}, {@code request-payment}, {@code accelerate}, {@code website},
     * {@code notification}, {@code replication}, {@code cors} and {@code lifecycle}, beside which
     * {@code lifecycle-transition-default-minimum-object-size} holds that header's value).
     * {@code object_lock} holds the retention and legal hold of a version, by key and version id;
     * {@code multipart_upload_lock} those an upload's object is to get. {@code object_encryption}
     * holds how a version is encrypted, by key and version id (a version without a row is plain
     * SSE-S3), valid while its {@code last_modified} equals the version's; for SSE-C the key's MD5 and
     * the initial counter of AES-256-CTR, never the key. An SSE-C object completed from parts keeps
     * each part's ciphertext as it was uploaded: {@code object_encryption.iv} is the first part's
     * initial counter, {@code object_encryption_part} each later part's, by the offset its bytes start
     * at (its rows go with their {@code object_encryption} row). {@code multipart_upload_encryption}
     * holds what an upload's object is to be encrypted with, and {@code multipart_upload_part_encryption}
     * each SSE-C part's initial counter and the CRC64NVME of its plaintext (the object's checksum is
     * combined from those at completion, which needs no key); the bucket's default encryption is the
     * {@code ServerSideEncryptionConfiguration} in {@code bucket_configuration} under {@code encryption}.
     * {@code object_acl} holds a version's ACL (by key and version id, like {@code object_encryption});
     * {@code multipart_upload_acl} the ACL an upload's object is to get.
     */
    static final String[] OURS = {
        """
        CREATE TABLE IF NOT EXISTS object_attributes (
            key TEXT PRIMARY KEY REFERENCES data (key) ON DELETE CASCADE,
            last_modified TEXT NOT NULL,
            etag TEXT NOT NULL,
            content_type TEXT,
            content_encoding TEXT,
            content_disposition TEXT,
            content_language TEXT,
            cache_control TEXT,
            expires TEXT,
            checksum_algorithm TEXT,
            checksum_type TEXT,
            checksum TEXT,
            parts_count INTEGER,
            tags TEXT
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS multipart_upload_attributes (
            upload_id BLOB PRIMARY KEY REFERENCES multipart_upload (upload_id) ON DELETE CASCADE,
            metadata TEXT,
            content_type TEXT,
            content_encoding TEXT,
            content_disposition TEXT,
            content_language TEXT,
            cache_control TEXT,
            expires TEXT,
            tags TEXT,
            checksum_algorithm TEXT,
            checksum_type TEXT
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS multipart_upload_part_checksum (
            upload_id BLOB NOT NULL,
            part_number INTEGER NOT NULL,
            checksum TEXT NOT NULL,
            PRIMARY KEY (upload_id, part_number),
            FOREIGN KEY (upload_id, part_number) REFERENCES multipart_upload_part (upload_id, part_number)
                ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS object_part (
            key TEXT NOT NULL REFERENCES data (key) ON DELETE CASCADE,
            last_modified TEXT NOT NULL,
            part_number INTEGER NOT NULL,
            byte_offset INTEGER NOT NULL,
            size INTEGER NOT NULL,
            etag TEXT NOT NULL,
            checksum TEXT,
            PRIMARY KEY (key, part_number)
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS multipart_upload_completed (
            upload_id BLOB PRIMARY KEY,
            key TEXT NOT NULL,
            completed TEXT NOT NULL,
            etag TEXT NOT NULL,
            checksum_algorithm TEXT,
            checksum_type TEXT,
            checksum TEXT,
            version_id TEXT
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS object_version (
            key TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            version_id TEXT NOT NULL,
            is_delete_marker INTEGER NOT NULL,
            value BLOB,
            size INTEGER NOT NULL,
            metadata TEXT,
            last_modified TEXT NOT NULL,
            md5 TEXT,
            etag TEXT NOT NULL,
            content_type TEXT,
            content_encoding TEXT,
            content_disposition TEXT,
            content_language TEXT,
            cache_control TEXT,
            expires TEXT,
            checksum_algorithm TEXT,
            checksum_type TEXT,
            checksum TEXT,
            parts_count INTEGER,
            tags TEXT,
            PRIMARY KEY (key, sequence),
            UNIQUE (key, version_id)
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS bucket_configuration (
            name TEXT PRIMARY KEY,
            document TEXT NOT NULL
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS object_lock (
            key TEXT NOT NULL,
            version_id TEXT NOT NULL,
            mode TEXT,
            retain_until TEXT,
            legal_hold TEXT,
            PRIMARY KEY (key, version_id)
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS multipart_upload_lock (
            upload_id BLOB PRIMARY KEY REFERENCES multipart_upload (upload_id) ON DELETE CASCADE,
            mode TEXT,
            retain_until TEXT,
            legal_hold TEXT
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS object_encryption (
            key TEXT NOT NULL,
            version_id TEXT NOT NULL,
            last_modified TEXT NOT NULL,
            algorithm TEXT,
            kms_key_id TEXT,
            bucket_key_enabled INTEGER NOT NULL,
            kms_context TEXT,
            customer_algorithm TEXT,
            customer_key_md5 TEXT,
            iv BLOB,
            PRIMARY KEY (key, version_id)
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS multipart_upload_encryption (
            upload_id BLOB PRIMARY KEY REFERENCES multipart_upload (upload_id) ON DELETE CASCADE,
            algorithm TEXT,
            kms_key_id TEXT,
            bucket_key_enabled INTEGER NOT NULL,
            kms_context TEXT
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS object_acl (
            key TEXT NOT NULL,
            version_id TEXT NOT NULL,
            last_modified TEXT NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (key, version_id)
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS multipart_upload_acl (
            upload_id BLOB PRIMARY KEY REFERENCES multipart_upload (upload_id) ON DELETE CASCADE,
            document TEXT NOT NULL
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS object_encryption_part (
            key TEXT NOT NULL,
            version_id TEXT NOT NULL,
            byte_offset INTEGER NOT NULL,
            iv BLOB NOT NULL,
            PRIMARY KEY (key, version_id, byte_offset),
            FOREIGN KEY (key, version_id) REFERENCES object_encryption (key, version_id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS multipart_upload_part_encryption (
            upload_id BLOB NOT NULL,
            part_number INTEGER NOT NULL,
            iv BLOB NOT NULL,
            plaintext_crc64nvme TEXT NOT NULL,
            PRIMARY KEY (upload_id, part_number),
            FOREIGN KEY (upload_id, part_number) REFERENCES multipart_upload_part (upload_id, part_number)
                ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID"""
    };

    /**
     * Columns of our tables that files written before them get when first opened for writing:
     * table, column, and its definition. {@code multipart_upload_encryption} learned SSE-C (the
     * key's MD5, never the key); {@code multipart_upload_completed} how the object a completion
     * made is encrypted, so that a repeated completion reports it too (a row remembered before the
     * columns existed reads as SSE-S3).
     */
    static final String[][] ADDED_COLUMNS = {
        {"multipart_upload_encryption", "customer_algorithm", "TEXT"},
        {"multipart_upload_encryption", "customer_key_md5", "TEXT"},
        {"multipart_upload_completed", "algorithm", "TEXT"},
        {"multipart_upload_completed", "kms_key_id", "TEXT"},
        {"multipart_upload_completed", "bucket_key_enabled", "INTEGER NOT NULL DEFAULT 0"},
        {"multipart_upload_completed", "customer_key_md5", "TEXT"}
    };

    /**
     * The version id of the current version (the {@code data} row) lives beside its other
     * attributes; a file written before versioning gets the column when first opened for writing.
     * NULL there is S3's {@code null} version.
     */
    static final String ADD_VERSION_ID = "ALTER TABLE object_attributes ADD COLUMN version_id TEXT";

    /**
     * The version id a completion made (NULL for S3's {@code null} version), so that a repeated
     * CompleteMultipartUpload names it too; a file written before versioning gets the column when
     * first opened for writing.
     */
    static final String ADD_COMPLETED_VERSION_ID = "ALTER TABLE multipart_upload_completed ADD COLUMN version_id TEXT";
}
