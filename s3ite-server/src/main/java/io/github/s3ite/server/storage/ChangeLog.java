package io.github.s3ite.server.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which rows the writer connection of a bucket copied from a seed has changed since, so that a
 * reset can put back just those rows from the seed instead of copying the whole file again.
 *
 * <p>TEMP triggers on every table of the file record the key of each row inserted, updated or
 * deleted (the primary key of a {@code WITHOUT ROWID} table, the rowid of any other) in a TEMP
 * table per table: they live in the connection's temporary database, never in the bucket file, and
 * see only what this connection writes, which is every write of the bucket (one writer per bucket).
 * They record keys, not old values, so a write of a large object logs a few bytes. A failed
 * transaction rolls its log back with it.
 *
 * <p>Undoing, in one transaction on the writer with foreign keys off (so that no cascade reaches a
 * row that was not changed): for each table, the rows of the logged keys are deleted and the seed's
 * rows of those keys inserted again, read from the seed ATTACHed read-only and immutable (no lock,
 * no {@code -wal} or {@code -shm} beside it: the seed is never written). Every row not logged is as
 * the copy left it, so the tables end as they were right after the copy: the seed's rows, and the
 * tables and columns a first open for writing adds empty or at their defaults (a row inserted
 * without a column gets the default that {@code ALTER TABLE ADD COLUMN} gives the rows it finds).
 *
 * <p>It declines (and the file is copied instead) when the schema changed since the log started,
 * when another connection wrote the file ({@code PRAGMA data_version}), and when the log holds more
 * rows than a copy costs. It does not start for files it cannot follow: with triggers, virtual
 * tables or {@code AUTOINCREMENT} of their own, or a rowid table with a column named like the
 * rowid.
 */
final class ChangeLog {
    private static final String SEED = "s3ite_seed";
    private static final String LOG_PREFIX = "s3ite_changed_";
    private static final String COUNT_TRIGGERS = "SELECT count(*) FROM temp.sqlite_master WHERE type = 'trigger'"
            + " AND name LIKE '" + LOG_PREFIX + "%'";

    /**
     * Above this share of the seed's rows, putting rows back costs more than copying the file: each
     * row put back is a delete and an insert through the B-trees, the WAL and its checkpoint, where
     * the copy moves pages with the kernel's file-to-file transfer. Measured with 10,000 objects of
     * 4 KiB (a 47 MB file, 20,000 rows with their attributes): about 70 us of CPU per row put back,
     * against 27 ms for the copy, so the two cost the same at about 400 rows, 2% of the rows; up
     * to 5% the undo still writes less to the disk, and the copy costs more once its close and
     * checkpoint are counted.
     */
    private static final double MOST_ROWS_UNDONE = 0.05;
    /** Fewer rows than this are always put back: counting the seed's rows to compare would cost more. */
    private static final int FEW_ROWS = 100;

    /**
     * One table of the file: its log, the key columns the log holds, and the columns its seed rows
     * are copied back with (null when the seed has no such table: the first open made it, empty).
     */
    private record Table(String name, String log, List<String> keys, List<String> seedColumns) {
    }

    /**
     * What an undo did: nothing (the file was not written since), put back the rows of
     * {@code rows} logged keys, or declined, saying why: the file must then be copied.
     */
    record Undo(boolean untouched, long rows, String declined) {
        static final Undo UNTOUCHED = new Undo(true, 0, null);

        static Undo declined(long rows, String why) {
            return new Undo(false, rows, why);
        }

        boolean done() {
            return declined == null;
        }
    }

    private final Path seed;
    private final List<Table> tables;
    private final String countChanged;
    private final int schemaVersion;
    private final long dataVersion;
    private final long triggers;
    private long seedRows = -1;

    private ChangeLog(Path seed, List<Table> tables, int schemaVersion, long dataVersion, long triggers) {
        this.seed = seed;
        this.triggers = triggers;
        this.tables = tables;
        this.schemaVersion = schemaVersion;
        this.dataVersion = dataVersion;
        List<String> counts = new ArrayList<>();
        for (Table table : tables) {
            counts.add("(SELECT count(*) FROM temp." + quote(table.log()) + ")");
        }
        this.countChanged = "SELECT " + String.join(", ", counts);
    }

    /**
     * Starts logging the writes of {@code writer}, whose file was just copied from {@code seed} and
     * opened; to be called under the write lock and outside a transaction.
     *
     * @return null when this file cannot be followed: it is then copied at every reset
     */
    static ChangeLog start(Connection writer, Path seed) throws SQLException {
        if (count(writer, "SELECT count(*) FROM main.sqlite_master WHERE type = 'trigger'"
                + " OR (type = 'table' AND (name = 'sqlite_sequence' OR sql LIKE 'CREATE VIRTUAL%'))") > 0) {
            return null;
        }
        Map<String, Shape> live = shapes(writer, "main");
        Map<String, Shape> seeded;
        attach(writer, seed);
        try {
            seeded = shapes(writer, SEED);
        } finally {
            execute(writer, "DETACH " + SEED);
        }
        List<Table> tables = new ArrayList<>();
        List<String> madeByTheOpen = new ArrayList<>();
        for (Map.Entry<String, Shape> entry : live.entrySet()) {
            Table table = table(entry.getKey(), entry.getValue(), seeded.get(entry.getKey()));
            if (table == null) {
                return null;
            }
            if (table.seedColumns() == null) {
                madeByTheOpen.add("(SELECT count(*) FROM (SELECT 1 FROM main." + quote(table.name()) + " LIMIT 1))");
            }
            tables.add(table);
        }
        // a table the seed lacks was made by the first open, empty, and so must a reset leave it
        if (!madeByTheOpen.isEmpty() && count(writer, "SELECT " + String.join(" + ", madeByTheOpen)) > 0) {
            return null;
        }
        execute(writer, "BEGIN");
        try {
            for (Table table : tables) {
                createLog(writer, table);
            }
            execute(writer, "COMMIT");
        } catch (SQLException | RuntimeException e) {
            execute(writer, "ROLLBACK");
            throw e;
        }
        // a row that INSERT OR REPLACE deletes for a unique constraint other than its key fires the
        // delete trigger only with recursive triggers; the file has no triggers of its own to change
        execute(writer, "PRAGMA recursive_triggers = ON");
        return new ChangeLog(seed.toAbsolutePath(), List.copyOf(tables),
                (int) count(writer, "PRAGMA main.schema_version"), count(writer, "PRAGMA data_version"),
                count(writer, COUNT_TRIGGERS));
    }

    /** A table as its schema declares it: its columns, and its key columns (none for a rowid table). */
    private record Shape(List<String> columns, List<String> keys, boolean withoutRowid) {
    }

    /** Every table of {@code schema} but SQLite's own, in one query. */
    private static Map<String, Shape> shapes(Connection writer, String schema) throws SQLException {
        Map<String, Shape> shapes = new TreeMap<>();
        try (PreparedStatement statement = writer.prepareStatement("SELECT t.name, t.wr, c.name, c.pk"
                + " FROM pragma_table_list AS t, pragma_table_info(t.name, t.schema) AS c"
                + " WHERE t.schema = ? AND t.type = 'table' AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                + " ORDER BY t.name, c.pk, c.cid")) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    boolean withoutRowid = rows.getInt(2) == 1;
                    Shape shape = shapes.computeIfAbsent(rows.getString(1),
                            name -> new Shape(new ArrayList<>(), new ArrayList<>(), withoutRowid));
                    shape.columns().add(rows.getString(3));
                    if (rows.getInt(4) > 0) {
                        shape.keys().add(rows.getString(3));
                    }
                }
            }
        }
        return shapes;
    }

    /** How the log follows the table {@code name}, or null when it cannot. */
    private static Table table(String name, Shape live, Shape seed) {
        List<String> keys = live.keys();
        if (!live.withoutRowid()) {
            for (String column : live.columns()) {
                String lower = column.toLowerCase(Locale.ROOT);
                if (lower.equals("rowid") || lower.equals("_rowid_") || lower.equals("oid")) {
                    return null;
                }
            }
            keys = List.of("rowid");
        }
        if (keys.isEmpty()) {
            return null;
        }
        String log = LOG_PREFIX + name;
        if (seed == null) {
            return new Table(name, log, keys, null);
        }
        // a first open only ever adds columns, so the seed's must all be there
        if (seed.withoutRowid() != live.withoutRowid() || !live.columns().containsAll(seed.columns())
                || live.withoutRowid() && !seed.columns().containsAll(keys)) {
            return null;
        }
        List<String> copied = new ArrayList<>();
        if (!live.withoutRowid()) {
            copied.add("rowid");
        }
        copied.addAll(seed.columns());
        return new Table(name, log, keys, copied);
    }

    /**
     * A key already logged is skipped with an upsert's {@code ON CONFLICT DO NOTHING}: a trigger's
     * statements take the conflict handling of the statement that fires them ({@code INSERT OR
     * IGNORE} there fails under an upsert), but not its upsert clause.
     */
    private static void createLog(Connection writer, Table table) throws SQLException {
        List<String> logColumns = new ArrayList<>();
        for (int i = 0; i < table.keys().size(); i++) {
            logColumns.add("k" + i);
        }
        boolean rowid = table.keys().equals(List.of("rowid"));
        execute(writer, "CREATE TEMP TABLE " + quote(table.log()) + (rowid ? " (k0 INTEGER PRIMARY KEY)"
                : " (" + String.join(", ", logColumns) + ", PRIMARY KEY (" + String.join(", ", logColumns)
                + ")) WITHOUT ROWID"));
        String target = "main." + quote(table.name());
        String log = "temp." + quote(table.log());
        String insertOld = logged(log, "OLD", table.keys());
        String insertNew = logged(log, "NEW", table.keys());
        execute(writer, "CREATE TEMP TRIGGER " + quote(table.log() + "_insert") + " AFTER INSERT ON " + target
                + " BEGIN " + insertNew + " END");
        execute(writer, "CREATE TEMP TRIGGER " + quote(table.log() + "_update") + " AFTER UPDATE ON " + target
                + " BEGIN " + insertOld + " " + insertNew + " END");
        execute(writer, "CREATE TEMP TRIGGER " + quote(table.log() + "_delete") + " AFTER DELETE ON " + target
                + " BEGIN " + insertOld + " END");
    }

    /** A trigger's statement logging the key of the {@code OLD} or {@code NEW} row. */
    private static String logged(String log, String which, List<String> keys) {
        List<String> values = new ArrayList<>();
        for (String key : keys) {
            values.add(which + "." + quote(key));
        }
        return "INSERT INTO " + log + " VALUES (" + String.join(", ", values) + ") ON CONFLICT DO NOTHING;";
    }

    /**
     * Puts back the seed's rows of every key logged since the start (or the last undo), in one
     * transaction, and runs {@code reload} inside it, with the writer, for whatever was read from
     * the tables before. To be called under the write lock and outside a transaction.
     */
    Undo undo(Connection writer, Connections.SqlWork<Void> reload) throws SQLException {
        if (writtenElsewhere(writer)) {
            return Undo.declined(0, "another connection wrote the file");
        }
        if (count(writer, COUNT_TRIGGERS) != triggers) {
            // a change of PRAGMA temp_store drops every TEMP object of the connection
            return Undo.declined(0, "the change log is gone");
        }
        long[] changedRows = new long[tables.size()];
        long changed = 0;
        try (Statement statement = writer.createStatement(); ResultSet counts = statement.executeQuery(countChanged)) {
            counts.next();
            for (int i = 0; i < changedRows.length; i++) {
                changedRows[i] = counts.getLong(i + 1);
                changed += changedRows[i];
            }
        }
        if (changed >= FEW_ROWS) {
            if (seedRows < 0) {
                seedRows = countSeedRows(writer);
            }
            if (changed > seedRows * MOST_ROWS_UNDONE) {
                return Undo.declined(changed, changed + " rows changed, more than a copy costs");
            }
        }
        execute(writer, "PRAGMA foreign_keys = OFF");
        try {
            attach(writer, seed);
            try {
                execute(writer, "BEGIN IMMEDIATE");
                try {
                    if (count(writer, "PRAGMA main.schema_version") != schemaVersion) {
                        execute(writer, "ROLLBACK");
                        return Undo.declined(0, "the schema changed");
                    }
                    for (int i = 0; i < changedRows.length; i++) {
                        if (changedRows[i] > 0) {
                            putBack(writer, tables.get(i));
                        }
                    }
                    reload.run(writer);
                    execute(writer, "COMMIT");
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(writer);
                    throw e;
                }
            } finally {
                execute(writer, "DETACH " + SEED);
            }
        } finally {
            execute(writer, "PRAGMA foreign_keys = ON");
        }
        return new Undo(false, changed, null);
    }

    /**
     * Whether a connection other than the writer committed to the file since the log started:
     * what it wrote is not logged. (The bucket's readers never write.)
     */
    boolean writtenElsewhere(Connection writer) throws SQLException {
        return count(writer, "PRAGMA data_version") != dataVersion;
    }

    private static void putBack(Connection writer, Table table) throws SQLException {
        String log = "temp." + quote(table.log());
        List<String> keys = new ArrayList<>();
        List<String> logColumns = new ArrayList<>();
        for (int i = 0; i < table.keys().size(); i++) {
            keys.add(quote(table.keys().get(i)));
            logColumns.add("k" + i);
        }
        String changed = "(" + String.join(", ", keys) + ") IN (SELECT " + String.join(", ", logColumns)
                + " FROM " + log + ")";
        try (Statement statement = writer.createStatement()) {
            // the triggers fire here too, but log only keys that are logged already
            statement.executeUpdate("DELETE FROM main." + quote(table.name()) + " WHERE " + changed);
            if (table.seedColumns() != null) {
                List<String> columns = new ArrayList<>();
                table.seedColumns().forEach(column -> columns.add(quote(column)));
                String list = String.join(", ", columns);
                statement.executeUpdate("INSERT INTO main." + quote(table.name()) + " (" + list + ") SELECT " + list
                        + " FROM " + SEED + "." + quote(table.name()) + " WHERE " + changed);
            }
            statement.executeUpdate("DELETE FROM " + log);
        }
    }

    private long countSeedRows(Connection writer) throws SQLException {
        attach(writer, seed);
        try {
            long rows = 0;
            for (Table table : tables) {
                if (table.seedColumns() != null) {
                    rows += count(writer, "SELECT count(*) FROM " + SEED + "." + quote(table.name()));
                }
            }
            return rows;
        } finally {
            execute(writer, "DETACH " + SEED);
        }
    }

    /**
     * The seed, read-only and immutable: SQLite takes no lock on it and makes no {@code -wal} or
     * {@code -shm} beside it, and reads only the file itself, as the copy does.
     */
    private static void attach(Connection writer, Path seed) throws SQLException {
        try (PreparedStatement statement = writer.prepareStatement("ATTACH ? AS " + SEED)) {
            statement.setString(1, seed.toAbsolutePath().toUri() + "?mode=ro&immutable=1");
            statement.execute();
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            execute(connection, "ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolled back already
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
