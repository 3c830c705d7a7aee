package io.github.s3ite.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * SQL shared by the tables of ours that keep a row per version, by key and version id
 * ({@code object_encryption}, {@code object_acl}): such a row outlives nothing, so the rows of a
 * key whose version is gone are removed with the write that removed it.
 */
final class VersionRows {
    private VersionRows() {
    }

    /**
     * Removes the rows of {@code key} in {@code table} whose version is neither a non-current
     * version nor the current one.
     *
     * @param table one of our per-version tables (a constant, never input)
     */
    static void removeOrphans(Connection connection, String table, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table + " AS e"
                + " WHERE e.key = ? AND NOT EXISTS (SELECT 1 FROM object_version v"
                + " WHERE v.key = e.key AND v.version_id = e.version_id AND v.is_delete_marker = 0)"
                + " AND NOT EXISTS (SELECT 1 FROM data d JOIN object_attributes a ON a.key = d.key"
                + " WHERE d.key = e.key AND a.last_modified = d.last_modified"
                + " AND coalesce(a.version_id, 'null') = e.version_id)")) {
            statement.setString(1, key);
            statement.executeUpdate();
        }
    }
}
