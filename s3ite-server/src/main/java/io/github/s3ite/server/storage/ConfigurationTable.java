package io.github.s3ite.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * SQL over {@code bucket_configuration} for the configurations kept as they are answered (tagging,
 * logging, website, ...): one row per configuration, no row for none.
 */
final class ConfigurationTable {
    private final boolean present;

    /** @param present whether the file has the table (a read-only file may predate it) */
    ConfigurationTable(boolean present) {
        this.present = present;
    }

    String document(Connection connection, String name) throws SQLException {
        if (!present) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT document FROM bucket_configuration WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    void put(Connection connection, String name, String document) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT OR REPLACE INTO bucket_configuration (name, document) VALUES (?, ?)")) {
            statement.setString(1, name);
            statement.setString(2, document);
            statement.executeUpdate();
        }
    }

    void delete(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM bucket_configuration WHERE name = ?")) {
            statement.setString(1, name);
            statement.executeUpdate();
        }
    }
}
