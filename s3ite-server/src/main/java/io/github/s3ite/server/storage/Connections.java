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
            return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "Cannot open bucket file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} as one write transaction: committed whole, or rolled back whole. */
    <T> T write(SqlWork<T> work) {
        if (readOnly) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "This s3ite server is read-only.");
        }
        writeLock.lock();
        try {
            ensureOpen();
            execute(writer, "BEGIN IMMEDIATE");
            try {
                T result = work.run(writer);
                execute(writer, "COMMIT");
                return result;
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly(writer);
                throw e;
            }
        } catch (SQLException e) {
            throw internal(e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} in one read transaction: every statement in it sees the same snapshot. */
    <T> T read(SqlWork<T> work) {
        return withReader(connection -> {
            execute(connection, "BEGIN");
            try {
                return work.run(connection);
            } finally {
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

    /**
     * Transactions are begun and ended with plain statements: the JDBC auto-commit switch would
     * issue more of them per request than the request itself.
     */
    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** SQLite may already have rolled back after some errors; the original error is the one to report. */
    private static void rollbackQuietly(Connection connection) {
        try {
            execute(connection, "ROLLBACK");
        } catch (SQLException e) {
            // no transaction was active any more
        }
    }

    private static void closeQuietly(Connection connection) {
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
