package dev.berth.server.auth.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The few JDBC steps the identity tables need; parameters are strings, longs and booleans. */
final class Sql {
    private Sql() {
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, args)) {
            return s.executeUpdate();
        }
    }

    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case Boolean b -> s.setBoolean(i + 1, b);
                    case Long l -> s.setLong(i + 1, l);
                    case String text -> s.setString(i + 1, text);
                    default -> throw new IllegalArgumentException("unsupported parameter " + args[i].getClass());
                }
            }
            return s;
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
