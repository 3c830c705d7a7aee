package io.github.s3ite.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * The floor the original's storage format sets for one large object, with no s3ite code on the
 * path: run by {@link LargeObjects#large} in a JVM of its own ({@code -Xmx4g}), it puts the bytes
 * of a file into the original's {@code data} table with sqlite-jdbc alone and reads them back,
 * each step timed. Every connection is opened as s3ite opens a bucket's with {@code --no-fsync}
 * (WAL, {@code synchronous=OFF}, a busy timeout, foreign keys on, {@code mmap_size} of 256 MiB,
 * SQLite's length limit raised to 2^31-1), so that what s3ite adds is all that differs. One thing
 * more: automatic checkpoints are off on the writer, so that the checkpoint each large commit runs
 * in s3ite (SQLite's default, at commit, in the committing thread) is timed apart, by
 * {@code PRAGMA wal_checkpoint(TRUNCATE)}.
 *
 * <p>Two fresh files beside each other, each deleted once measured: the object as one INSERT (what
 * any upload of it costs at least), and as a multipart upload is stored in this format (parts of
 * {@code part} bytes into a table shaped like the original's {@code multipart_upload_part}, each in
 * a transaction of its own; then, in one transaction, the parts read back into one value, the value
 * inserted and the upload deleted with its parts, as CompleteMultipartUpload does; no digest is
 * computed). Arguments: the source file, the directory for the files, the part size. Prints one
 * {@code name value} line per figure (nanoseconds, or bytes) for {@link LargeObjects}.
 */
public final class BlobFloorProbe {
    /** sqlite3_limit's SQLITE_LIMIT_LENGTH. */
    private static final int SQLITE_LIMIT_LENGTH = 0;
    /** s3ite's Connections.MAP_SIZE. */
    private static final long MAP_SIZE = 256L * 1024 * 1024;
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;
    /** The original's table, as Schema.ORIGINAL has it. */
    private static final String DATA = "CREATE TABLE data(key TEXT PRIMARY KEY, value BLOB, size INTEGER NOT NULL,"
            + " metadata TEXT, last_modified TEXT NOT NULL, md5 TEXT) STRICT, WITHOUT ROWID";
    private static final String UPLOAD = "CREATE TABLE multipart_upload(upload_id BLOB NOT NULL PRIMARY KEY,"
            + " bucket TEXT NOT NULL, key TEXT NOT NULL, last_modified TEXT NOT NULL, access_key TEXT) STRICT, WITHOUT ROWID";
    private static final String PART = "CREATE TABLE multipart_upload_part(upload_id BLOB NOT NULL,"
            + " last_modified TEXT NOT NULL, part_number INTEGER NOT NULL, value BLOB NOT NULL, size INTEGER NOT NULL,"
            + " md5 TEXT, PRIMARY KEY (upload_id, part_number),"
            + " FOREIGN KEY (upload_id) REFERENCES multipart_upload (upload_id) ON DELETE CASCADE) STRICT";
    private static final String INSERT = "INSERT INTO data (key, value, size, metadata, last_modified, md5) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String LAST_MODIFIED = "2026-11-26T00:00:00.000Z";
    private static final String MD5 = "0123456789abcdef0123456789abcdef";
    private static final byte[] UPLOAD_ID = new byte[16];

    private BlobFloorProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]);
        Path directory = Path.of(args[1]);
        int part = Integer.parseInt(args[2]);
        byte[] object = Files.readAllBytes(source);
        System.out.println("bytes " + object.length);
        Path single = directory.resolve("floor-single.sqlite3");
        try {
            single(single, object);
        } finally {
            delete(single);
        }
        Path multipart = directory.resolve("floor-multipart.sqlite3");
        try {
            multipart(multipart, object, part);
        } finally {
            delete(multipart);
        }
    }

    /** One INSERT of the whole value and its commit; the checkpoint; one SELECT of it, whole. */
    private static void single(Path file, byte[] object) throws SQLException {
        try (Connection writer = open(file, true)) {
            try (Statement statement = writer.createStatement();
                 ResultSet version = statement.executeQuery("SELECT sqlite_version()")) {
                version.next();
                System.out.println("sqlite " + version.getString(1));
            }
            execute(writer, DATA);
            long start = System.nanoTime();
            execute(writer, "BEGIN IMMEDIATE");
            try (PreparedStatement insert = writer.prepareStatement(INSERT)) {
                bindObject(insert, "large", object);
                insert.executeUpdate();
            }
            execute(writer, "COMMIT");
            print("insert", System.nanoTime() - start);
            print("insert_wal", size(wal(file)));
            start = System.nanoTime();
            checkpoint(writer);
            print("checkpoint", System.nanoTime() - start);
            print("file", size(file));
            try (Connection reader = open(file, false);
                 PreparedStatement select = reader.prepareStatement("SELECT value FROM data WHERE key = ?")) {
                start = System.nanoTime();
                select.setString(1, "large");
                byte[] read;
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    read = rows.getBytes(1);
                }
                print("select", System.nanoTime() - start);
                if (!Arrays.equals(read, object)) {
                    throw new IllegalStateException("the value read back differs from the one inserted");
                }
            }
        }
    }

    /** Parts inserted one transaction each, their checkpoint; then the completion and its checkpoint. */
    private static void multipart(Path file, byte[] object, int part) throws SQLException {
        int parts = (int) ((object.length + (long) part - 1) / part);
        print("parts_count", parts);
        try (Connection writer = open(file, true)) {
            execute(writer, DATA);
            execute(writer, UPLOAD);
            execute(writer, PART);
            try (PreparedStatement upload = writer.prepareStatement("INSERT INTO multipart_upload VALUES (?, 'large', 'large', ?, NULL)")) {
                upload.setBytes(1, UPLOAD_ID);
                upload.setString(2, LAST_MODIFIED);
                upload.executeUpdate();
            }
            long inserting = 0;
            try (PreparedStatement insert = writer.prepareStatement("INSERT INTO multipart_upload_part"
                    + " (upload_id, last_modified, part_number, value, size, md5) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < parts; i++) {
                    // the part's own array, as a part upload holds it: copied before the clock starts
                    byte[] value = Arrays.copyOfRange(object, i * part, (int) Math.min((long) (i + 1) * part, object.length));
                    long start = System.nanoTime();
                    execute(writer, "BEGIN IMMEDIATE");
                    insert.setBytes(1, UPLOAD_ID);
                    insert.setString(2, LAST_MODIFIED);
                    insert.setInt(3, i + 1);
                    insert.setBytes(4, value);
                    insert.setLong(5, value.length);
                    insert.setString(6, MD5);
                    insert.executeUpdate();
                    execute(writer, "COMMIT");
                    inserting += System.nanoTime() - start;
                }
            }
            print("parts_insert", inserting);
            long start = System.nanoTime();
            checkpoint(writer);
            print("parts_checkpoint", System.nanoTime() - start);

            start = System.nanoTime();
            execute(writer, "BEGIN IMMEDIATE");
            byte[] joined = new byte[object.length];
            try (PreparedStatement select = writer.prepareStatement(
                    "SELECT value FROM multipart_upload_part WHERE upload_id = ? AND part_number = ?")) {
                int offset = 0;
                for (int i = 0; i < parts; i++) {
                    select.setBytes(1, UPLOAD_ID);
                    select.setInt(2, i + 1);
                    try (ResultSet rows = select.executeQuery()) {
                        rows.next();
                        byte[] value = rows.getBytes(1);
                        System.arraycopy(value, 0, joined, offset, value.length);
                        offset += value.length;
                    }
                }
            }
            long read = System.nanoTime() - start;
            print("complete_read", read);
            start = System.nanoTime();
            try (PreparedStatement insert = writer.prepareStatement(INSERT);
                 PreparedStatement delete = writer.prepareStatement("DELETE FROM multipart_upload WHERE upload_id = ?")) {
                bindObject(insert, "large", joined);
                insert.executeUpdate();
                delete.setBytes(1, UPLOAD_ID);
                delete.executeUpdate();
            }
            execute(writer, "COMMIT");
            print("complete_insert", System.nanoTime() - start);
            print("complete_wal", size(wal(file)));
            start = System.nanoTime();
            checkpoint(writer);
            print("complete_checkpoint", System.nanoTime() - start);
            print("complete_file", size(file));
            if (!Arrays.equals(joined, object)) {
                throw new IllegalStateException("the parts joined differ from the object");
            }
        }
    }

    /** A connection as s3ite's Connections opens a bucket's: the writer in WAL mode, without fsync. */
    private static Connection open(Path file, boolean writer) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("jdbc.get_generated_keys", "false");
        SQLiteConfig config = new SQLiteConfig(properties);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        if (writer) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        }
        Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        connection.unwrap(org.sqlite.SQLiteConnection.class).getDatabase().limit(SQLITE_LIMIT_LENGTH, Integer.MAX_VALUE);
        execute(connection, "PRAGMA mmap_size=" + MAP_SIZE);
        if (writer) {
            execute(connection, "PRAGMA wal_autocheckpoint=0");
        }
        return connection;
    }

    private static void bindObject(PreparedStatement insert, String key, byte[] value) throws SQLException {
        insert.setString(1, key);
        insert.setBytes(2, value);
        insert.setLong(3, value.length);
        insert.setString(4, "{}");
        insert.setString(5, LAST_MODIFIED);
        insert.setString(6, MD5);
    }

    private static void checkpoint(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            if (!result.next() || result.getInt(1) != 0) {
                throw new IllegalStateException("the checkpoint did not complete");
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void print(String name, long value) {
        System.out.println(name + " " + value);
    }

    private static Path wal(Path file) {
        return file.resolveSibling(file.getFileName() + "-wal");
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void delete(Path file) throws java.io.IOException {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }
}
