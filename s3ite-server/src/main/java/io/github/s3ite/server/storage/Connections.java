package io.github.s3ite.server.storage;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The connections of one bucket file: one writer (SQLite allows one writer at a time, so writes
 * queue on a lock here rather than on SQLite's busy handler) and a small pool of readers, all in
 * WAL mode so that readers never wait for the writer.
 */
final class Connections implements AutoCloseable {
    private static final int MAX_READERS = 4;
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;
    /** sqlite3_limit's SQLITE_LIMIT_LENGTH. */
    private static final int SQLITE_LIMIT_LENGTH = 0;
    /**
     * How much of the bucket file each connection maps into memory. The original's {@code data}
     * table keeps each value in its primary key's b-tree, so finding a key (to read it, or to
     * replace it) compares whole records, values included, and SQLite reads a value that overflows
     * its page straight from the file: ten reads of the file for a GetObject of 4 KiB and a dozen
     * for a PutObject, each a system call, unless the file is mapped. SQLite never writes through
     * the map. A mapped file must never be truncated or replaced behind SQLite's back while the
     * bucket is open (a read of a page cut off ends the process with SIGBUS instead of failing with
     * an error); s3ite closes a bucket before it replaces its file.
     */
    private static final long MAP_SIZE = 256L * 1024 * 1024;

    private final Path file;
    private final boolean readOnly;
    private final boolean fsync;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection writer;
    private final Semaphore readerPermits = new Semaphore(MAX_READERS);
    private final Deque<Connection> idleReaders = new ArrayDeque<>();
    private final List<Connection> allReaders = new ArrayList<>();
    private boolean closed;

    /**
     * @param fsync whether a commit must survive an OS crash or power loss, or only a crash of this
     *              process. With it, SQLite's {@code synchronous=FULL}: in WAL mode the log is
     *              fsynced at every commit, before the commit returns, so an acknowledged write
     *              survives an OS crash or power loss on a disk that honours fsync. ({@code NORMAL}
     *              would fsync the log only at checkpoints: a commit could roll back after a power
     *              loss.) Without it, {@code synchronous=OFF}: nothing is fsynced; a returned commit
     *              is in the OS's page cache, which survives a crash of this process but not of the OS.
     */
    Connections(Path file, boolean readOnly, boolean fsync) {
        this.file = file;
        this.readOnly = readOnly;
        this.fsync = fsync;
        this.writer = readOnly ? null : open(false);
    }

    private Connection open(boolean forReading) {
        SqliteNativeLibrary.prepare();
        // by name, not setGetGeneratedKeys: that method came with sqlite-jdbc 3.47, and Spring Boot 3.3
        // users have 3.45, which ignores the property (and has no generated-keys lookup to turn off)
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("jdbc.get_generated_keys", "false");
        SQLiteConfig config = new SQLiteConfig(properties);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        if (readOnly) {
            config.setReadOnly(true);
        } else if (!forReading) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(fsync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.OFF);
        }
        try {
            Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            // a row holds a value of up to BucketFile.MAX_OBJECT_SIZE (SQLite's default maximum length
            // of one value) beside its key and other columns, which together exceed that default as a
            // record; sqlite-jdbc is built to allow up to 2^31-1 bytes when asked
            connection.unwrap(org.sqlite.SQLiteConnection.class).getDatabase()
                    .limit(SQLITE_LIMIT_LENGTH, Integer.MAX_VALUE);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA mmap_size=" + MAP_SIZE);
            }
            Statements.register(connection);
            return connection;
        } catch (SQLException e) {
            throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "Cannot open bucket file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} as one write transaction: committed whole, or rolled back whole. Transactions
     * are begun and ended with plain statements (prepared once per connection): the JDBC auto-commit
     * switch would issue more of them per request than the request itself.
     */
    <T> T write(SqlWork<T> work) {
        if (readOnly) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "This s3ite server is read-only.");
        }
        writeLock.lock();
        try {
            ensureOpen();
            Statements statements = Statements.of(writer);
            statements.execute("BEGIN IMMEDIATE");
            try {
                T result = work.run(writer);
                statements.release();
                statements.execute("COMMIT");
                return result;
            } catch (RuntimeException | SQLException e) {
                statements.release();
                rollbackQuietly(writer);
                throw e;
            }
        } catch (SQLException e) {
            throw internal(e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} on the writer under the write lock but outside any transaction, for what
     * SQLite refuses inside one ({@code ATTACH}, {@code PRAGMA foreign_keys}): {@code work} begins
     * and ends its own, and leaves none open.
     */
    <T> T writeOutsideTransaction(SqlWork<T> work) {
        if (readOnly) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "This s3ite server is read-only.");
        }
        writeLock.lock();
        try {
            ensureOpen();
            return work.run(writer);
        } catch (SQLException e) {
            throw internal(e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} in one read transaction: every statement in it sees the same snapshot. */
    <T> T read(SqlWork<T> work) {
        return withReader(connection -> {
            Statements.of(connection).execute("BEGIN");
            try {
                return work.run(connection);
            } finally {
                Statements.release(connection);
                rollbackQuietly(connection);
            }
        });
    }

    /** Runs {@code work} on a reader without a transaction around it (VACUUM INTO needs that). */
    <T> T readOutsideTransaction(SqlWork<T> work) {
        return withReader(work);
    }

    private <T> T withReader(SqlWork<T> work) {
        readerPermits.acquireUninterruptibly();
        Connection connection = null;
        try {
            connection = borrowReader();
            return work.run(connection);
        } catch (SQLException e) {
            throw internal(e);
        } finally {
            if (connection != null) {
                Statements.release(connection);
                returnReader(connection);
            }
            readerPermits.release();
        }
    }

    private synchronized Connection borrowReader() {
        ensureOpen();
        Connection idle = idleReaders.poll();
        if (idle != null) {
            return idle;
        }
        Connection created = open(true);
        allReaders.add(created);
        return created;
    }

    private synchronized void returnReader(Connection connection) {
        if (closed) {
            closeQuietly(connection);
        } else {
            idleReaders.push(connection);
        }
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET, "The bucket was deleted or replaced.");
        }
    }

    /** Folds the WAL back into the database file so that no -wal is left beside it. */
    void checkpoint() {
        if (readOnly) {
            return;
        }
        writeLock.lock();
        try (Statement statement = writer.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            throw internal(e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                for (Connection reader : allReaders) {
                    closeQuietly(reader);
                }
                allReaders.clear();
                idleReaders.clear();
            }
            if (writer != null) {
                closeQuietly(writer);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** SQLite may already have rolled back after some errors; the original error is the one to report. */
    private static void rollbackQuietly(Connection connection) {
        try {
            Statements.of(connection).execute("ROLLBACK");
        } catch (SQLException | IllegalStateException e) {
            // no transaction was active any more
        }
    }

    private static void closeQuietly(Connection connection) {
        Statements.forget(connection);
        try {
            connection.close();
        } catch (SQLException e) {
            // closing releases what it can; nothing else to do
        }
    }

    static S3Exception internal(SQLException e) {
        return new S3Exception(S3ErrorCode.INTERNAL_ERROR, "SQLite: " + e.getMessage(), e);
    }

    /** Work against a connection inside a transaction. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
