package io.github.s3ite.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prepared statements of one connection, kept from one request to the next: SQLite compiles a
 * statement in more time than it takes to run a point query, so the statements every request runs
 * (those of GetObject and PutObject, and the transactions around them) are compiled once per
 * connection.
 *
 * <p>A statement kept here never holds a transaction open once its connection is given back: SQLite
 * keeps a read transaction (and so a WAL snapshot, which stops checkpoints) for as long as a stepped
 * statement is not reset, so rows are read through {@link #query}, and every result set it handed
 * out is closed, which resets its statement, when the connection goes back to its pool or its
 * transaction ends ({@link #release}), whatever its caller did with it.
 *
 * <p>One connection is used by one thread at a time (see {@link Connections}), so nothing here is
 * synchronized but the registry. A statement is shared by every use of its SQL on its connection:
 * a query whose rows are still being read when the same SQL runs again must be prepared on its own.
 */
final class Statements {
    private static final Map<Connection, Statements> REGISTRY = new ConcurrentHashMap<>();

    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private final List<ResultSet> results = new ArrayList<>();

    private Statements(Connection connection) {
        this.connection = connection;
    }

    /** Gives {@code connection} a cache, for as long as it is open. */
    static void register(Connection connection) {
        REGISTRY.put(connection, new Statements(connection));
    }

    /** The cache of a connection that {@link Connections} opened. */
    static Statements of(Connection connection) {
        Statements statements = REGISTRY.get(connection);
        if (statements == null) {
            throw new IllegalStateException("a connection without a statement cache");
        }
        return statements;
    }

    /** {@link #release} of a connection's cache, if it still has one (a closed connection has none). */
    static void release(Connection connection) {
        Statements statements = REGISTRY.get(connection);
        if (statements != null) {
            statements.release();
        }
    }

    /**
     * Forgets the cache of a connection about to be closed: closing a connection finalizes its
     * statements, and it may be closed while a request still uses it (a bucket deleted or replaced).
     */
    static void forget(Connection connection) {
        REGISTRY.remove(connection);
    }

    /** Whether a query without parameters returns a row; prepared, run and closed once (not kept). */
    static boolean anyRow(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            return rows.next();
        }
    }

    /** The statement of {@code sql} on this connection, its parameters to be set anew. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    /** Runs a query of {@link #prepare}: its result set is closed by the caller, or at {@link #release} at the latest. */
    ResultSet query(PreparedStatement statement) throws SQLException {
        ResultSet rows = statement.executeQuery();
        if (!results.contains(rows)) {
            // (a statement hands out the same result set object each time it runs)
            results.add(rows);
        }
        return rows;
    }

    /** Runs {@code sql}, a statement without rows (BEGIN, COMMIT, an update), with no parameters. */
    void execute(String sql) throws SQLException {
        prepare(sql).executeUpdate();
    }

    /** Resets every statement that returned rows since the last release: none holds a transaction open. */
    void release() {
        for (ResultSet rows : results) {
            try {
                rows.close();
            } catch (SQLException e) {
                // a result set that cannot close belongs to a statement SQLite already reset or finalized
            }
        }
        results.clear();
    }
}
