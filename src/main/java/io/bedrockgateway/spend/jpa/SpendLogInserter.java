package io.bedrockgateway.spend.jpa;

import io.bedrockgateway.keys.jpa.Times;
import io.bedrockgateway.keys.jpa.Transactions;
import io.bedrockgateway.spend.SpendLog;
import io.bedrockgateway.spend.Usage;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes spend-log rows with one JDBC batch in one transaction. The recorder writes every call's row, thousands a
 * second under load; through JPA each row cost a managed entity, a clone and a change set, more than the insert
 * itself. Rows are plain data that is never read back in the same unit of work, so nothing of JPA is lost.
 *
 * <p>Idempotent per row: a batch is first inserted as it is (request ids are fresh random UUIDs, so a duplicate
 * means a batch retried after a commit of unknown outcome); if that fails on the primary key (start time, request
 * id), the transaction is rolled back whole and the batch is written again without the rows already stored.
 *
 * <p>Thread-safe: every call uses its own connection from the pool.
 */
final class SpendLogInserter {
    private static final String INSERT = "INSERT INTO spend_logs (request_id, key_hash, key_alias, user_id, team_id,"
            + " end_user, model_alias, model_id, deployment, route, status, input_tokens, output_tokens,"
            + " cache_read_tokens, cache_write_tokens, cost, price_unknown, start_time, end_time, latency_ms, ttfb_ms,"
            + " streamed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Rows per {@code executeBatch}: bounds the driver's buffered parameters, not the transaction. */
    private static final int BATCH_ROWS = 500;

    private final DataSource dataSource;

    SpendLogInserter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts {@code rows} (unique request ids) in one transaction, skipping ids already stored. */
    void insert(Collection<SpendLog> rows) {
        try {
            inTransaction(rows, false);
        } catch (SQLException first) {
            if (!Transactions.isUniqueViolation(first)) {
                throw new IllegalStateException("spend rows not written: " + first.getMessage(), first);
            }
            try {
                inTransaction(rows, true);
            } catch (SQLException second) {
                second.addSuppressed(first);
                throw new IllegalStateException("spend rows not written: " + second.getMessage(), second);
            }
        }
    }

    private void inTransaction(Collection<SpendLog> rows, boolean skipStored) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                Set<String> stored = skipStored ? storedIds(connection, rows) : Set.of();
                insertRows(connection, rows, stored);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static void insertRows(Connection connection, Collection<SpendLog> rows, Set<String> skip)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            int pending = 0;
            for (SpendLog row : rows) {
                if (skip.contains(row.requestId())) {
                    continue;
                }
                bind(insert, row);
                insert.addBatch();
                if (++pending == BATCH_ROWS) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    /** Request ids of {@code rows} stored already, looked up by the primary key (start time, request id). */
    private static Set<String> storedIds(Connection connection, Collection<SpendLog> rows) throws SQLException {
        Set<String> stored = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT request_id FROM spend_logs WHERE start_time = ? AND request_id = ?")) {
            for (SpendLog row : rows) {
                select.setObject(1, Times.column(row.startTime()));
                select.setString(2, row.requestId());
                try (ResultSet found = select.executeQuery()) {
                    if (found.next()) {
                        stored.add(row.requestId());
                    }
                }
            }
        }
        return stored;
    }

    private static void bind(PreparedStatement insert, SpendLog row) throws SQLException {
        Usage usage = row.usage() == null ? Usage.NONE : row.usage();
        int i = 0;
        insert.setString(++i, row.requestId());
        text(insert, ++i, row.keyHash());
        text(insert, ++i, row.keyAlias());
        text(insert, ++i, row.userId());
        text(insert, ++i, row.teamId());
        text(insert, ++i, row.endUser());
        text(insert, ++i, row.modelAlias());
        text(insert, ++i, row.modelId());
        text(insert, ++i, row.deployment());
        text(insert, ++i, row.route());
        insert.setInt(++i, row.status());
        insert.setLong(++i, usage.inputTokens());
        insert.setLong(++i, usage.outputTokens());
        insert.setLong(++i, usage.cacheReadTokens());
        insert.setLong(++i, usage.cacheWriteTokens());
        insert.setBigDecimal(++i, row.cost() == null ? BigDecimal.ZERO : row.cost());
        insert.setBoolean(++i, row.priceUnknown());
        insert.setObject(++i, Times.column(row.startTime()));
        insert.setObject(++i, Times.column(row.endTime() == null ? row.startTime() : row.endTime()));
        insert.setLong(++i, row.latencyMillis());
        insert.setLong(++i, row.ttfbMillis());
        insert.setBoolean(++i, row.streamed());
    }

    private static void text(PreparedStatement insert, int index, String value) throws SQLException {
        if (value == null) {
            insert.setNull(index, Types.VARCHAR);
        } else {
            insert.setString(index, value);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
