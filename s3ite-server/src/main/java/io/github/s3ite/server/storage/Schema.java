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
     * boundaries of an object completed from a multipart upload (an object without rows there is one
     * part); {@code multipart_upload_completed} remembers completed uploads for a day, so that a
     * repeated CompleteMultipartUpload answers as the first did.
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
            checksum TEXT
        ) STRICT, WITHOUT ROWID"""
    };
}
