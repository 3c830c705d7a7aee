package io.github.s3ite.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sqlite.SQLiteConfig;

/**
 * Everything a bucket file holds, as text to compare: its schema, and every row of every table
 * (with its rowid where it has one), each value as SQL's {@code quote()} writes it, so that 1, '1'
 * and X'31' differ.
 */
public final class BucketTables {
    private BucketTables() {
    }

    /** Table name (and "(schema)") to its rows, sorted. Reads a file that a server may have open. */
    public static Map<String, List<String>> contents(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        Map<String, List<String>> contents = new TreeMap<>();
        try (Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            statement.execute("BEGIN");
            contents.put("(schema)", rows(statement, "SELECT type, name, tbl_name, sql FROM sqlite_master"
                    + " ORDER BY type, name"));
            List<String> tables = new ArrayList<>();
            try (ResultSet names = statement.executeQuery(
                    "SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
                            + " AND name NOT LIKE 'sqlite%'")) {
                while (names.next()) {
                    tables.add((names.getInt(2) == 1 ? "" : "rowid ") + names.getString(1));
                }
            }
            for (String entry : tables) {
                boolean rowid = entry.startsWith("rowid ");
                String table = rowid ? entry.substring(6) : entry;
                List<String> columns = new ArrayList<>();
                if (rowid) {
                    columns.add("quote(rowid)");
                }
                try (ResultSet info = statement.executeQuery("SELECT name FROM pragma_table_info('" + table + "')")) {
                    while (info.next()) {
                        columns.add("quote(\"" + info.getString(1) + "\")");
                    }
                }
                contents.put(table, rows(statement, "SELECT " + String.join(", ", columns) + " FROM \"" + table
                        + "\" ORDER BY " + String.join(", ", columns)));
            }
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
        return contents;
    }

    /**
     * What a bucket copied from {@code seed} holds before anything is written to it: a copy of the
     * seed in {@code scratch}, opened for writing once (which adds the tables and columns of ours
     * that an older file lacks).
     */
    public static Map<String, List<String>> reference(Path seed, Path scratch) {
        try {
            Path copy = Files.createTempFile(Files.createDirectories(scratch), "reference-", ".sqlite3");
            Files.copy(seed, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            BucketFile.open("reference", copy, false, false).close();
            Map<String, List<String>> contents = contents(copy);
            Files.delete(copy);
            return contents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> rows(Statement statement, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? " | " : "").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
