package io.bedrockgateway.spend.jpa;

import io.bedrockgateway.keys.jpa.DatabaseVendor;
import io.bedrockgateway.keys.jpa.Money;
import io.bedrockgateway.keys.jpa.Times;
import io.bedrockgateway.keys.jpa.Transactions;
import io.bedrockgateway.spend.SpendLog;
import io.bedrockgateway.spend.SpendLogRepository;
import jakarta.persistence.Query;

import javax.sql.DataSource;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link SpendLogRepository} on JPA, except the spend-log inserts, which are JDBC batches ({@link SpendLogInserter}).
 * Thread-safe: every method is one short transaction on its own entity manager or connection, and no entity leaves
 * it. End-user spend changes are single atomic upserts, safe across gateway instances.
 */
public final class JpaSpendLogRepository implements SpendLogRepository {
    private static final int MAX_ATTEMPTS = 5;
    private final Transactions tx;
    private final SpendLogInserter inserter;
    private final DatabaseVendor vendor;
    private final Clock clock;

    /** @param dataSource the persistence unit's own DataSource: spend rows are batch-inserted over plain JDBC */
    public JpaSpendLogRepository(Transactions tx, DataSource dataSource, DatabaseVendor vendor, Clock clock) {
        this.tx = tx;
        this.inserter = new SpendLogInserter(dataSource);
        this.vendor = vendor;
        this.clock = clock;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Idempotent per row: rows stored already (same request id and start time: the primary key) or whose
     * request id is repeated in the batch are skipped, so a batch retried after a commit of unknown outcome neither
     * fails nor doubles.
     */
    @Override
    public void insertAll(Collection<SpendLog> logs) {
        Map<String, SpendLog> byId = new LinkedHashMap<>();
        for (SpendLog log : logs) {
            if (log.requestId() == null || log.startTime() == null) {
                throw new IllegalArgumentException("a spend log needs a request id and a start time");
            }
            byId.putIfAbsent(log.requestId(), log);
        }
        if (!byId.isEmpty()) {
            inserter.insert(byId.values());
        }
    }

    @Override
    public List<SpendLog> find(Filter filter, int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit <= 0) {
            return List.of();
        }
        SpendQueries.Where where = SpendQueries.jpql(filter);
        return tx.call(em -> bind(em.createQuery("SELECT s FROM SpendLogRow s" + where.clause()
                                + " ORDER BY s.startTime DESC, s.requestId DESC", SpendLogEntity.class), where)
                .setFirstResult(offset).setMaxResults(limit)
                .getResultList().stream().map(SpendLogEntity::toRecord).toList());
    }

    @Override
    public long count(Filter filter) {
        SpendQueries.Where where = SpendQueries.jpql(filter);
        return tx.call(em -> bind(em.createQuery("SELECT COUNT(s) FROM SpendLogRow s" + where.clause(), Long.class),
                where).getSingleResult());
    }

    /** {@inheritDoc} Grouped by day, rows come by day, ascending; otherwise the most expensive group first. */
    @Override
    public List<ReportRow> report(Filter filter, Set<GroupBy> groupBy) {
        SpendQueries.Where where = SpendQueries.sql(filter);
        String sql = SpendQueries.reportSql(vendor, groupBy, where);
        return tx.call(em -> {
            List<?> rows = bind(em.createNativeQuery(sql), where).getResultList();
            List<ReportRow> report = new ArrayList<>(rows.size());
            for (Object row : rows) {
                report.add(SpendQueries.reportRow(groupBy, (Object[]) row));
            }
            return report;
        });
    }

    @Override
    public void addEndUserSpend(Map<String, BigDecimal> deltasByEndUser) {
        if (deltasByEndUser.isEmpty()) {
            return;
        }
        Object now = Times.column(clock.instant());
        String upsert = vendor.addToSpendUpsert("end_user_spend", "end_user");
        for (int attempt = 1; ; attempt++) {
            try {
                tx.run(em -> {
                    // Sorted: instances updating overlapping rows lock them in one order, so they cannot deadlock.
                    new TreeMap<>(deltasByEndUser).forEach((endUser, delta) -> {
                        if (delta != null && delta.signum() != 0) {
                            em.createNativeQuery(upsert).setParameter(1, endUser).setParameter(2, delta)
                                    .setParameter(3, now).executeUpdate();
                        }
                    });
                });
                return;
            } catch (RuntimeException e) {
                // H2's MERGE: two transactions inserting one new end user; the loser rolled back whole, and its
                // retry finds the row. (PostgreSQL's ON CONFLICT never fails so.)
                if (attempt == MAX_ATTEMPTS || !Transactions.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public BigDecimal endUserSpend(String endUser) {
        if (endUser == null) {
            return BigDecimal.ZERO;
        }
        return tx.call(em -> {
            EndUserSpendEntity row = em.find(EndUserSpendEntity.class, endUser);
            return row == null ? BigDecimal.ZERO : Money.normalize(row.spend);
        });
    }

    private static <Q extends Query> Q bind(Q query, SpendQueries.Where where) {
        List<Object> params = where.parameters();
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
        }
        return query;
    }

}
