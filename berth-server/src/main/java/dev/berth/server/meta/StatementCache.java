package dev.berth.server.meta;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prepared statements kept per physical connection. SQLite compiles a statement anew on every prepare
 * (a tenth of the database's CPU time when manifests are pushed) and sqlite-jdbc keeps none, nor does
 * HikariCP; so statements are prepared once on the connection under the pool's proxy, where the proxy
 * does not close them when the connection goes back to the pool.
 *
 * <p>A connection is used by one thread at a time, so each connection's statements need no locking.
 * Statements of a connection the pool closed are dropped when the next new connection shows up.
 */
final class StatementCache {
    private final Map<Connection, Map<String, PreparedStatement>> byConnection = new ConcurrentHashMap<>();

    /**
     * The statement for {@code sql} on {@code c}'s physical connection. The caller must not close it,
     * must close every result set it opens, and binds every parameter on each use.
     */
    PreparedStatement prepare(Connection c, String sql) throws SQLException {
        Connection physical = c.unwrap(Connection.class);
        Map<String, PreparedStatement> statements = byConnection.get(physical);
        if (statements == null) {
            byConnection.keySet().removeIf(StatementCache::isClosed);
            statements = new HashMap<>();
            byConnection.put(physical, statements);
        }
        PreparedStatement statement = statements.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = physical.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
