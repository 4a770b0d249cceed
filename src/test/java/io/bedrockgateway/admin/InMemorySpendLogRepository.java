package io.bedrockgateway.admin;

import io.bedrockgateway.spend.SpendLog;
import io.bedrockgateway.spend.SpendLogRepository;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link SpendLogRepository} in memory, faithful to the interface's Javadoc, for tests. Thread-safe: every method
 * holds the instance lock. Rows come back newest first (by start time); report days are UTC dates of the start time.
 */
public final class InMemorySpendLogRepository implements SpendLogRepository {
    private final List<SpendLog> logs = new ArrayList<>();
    private final Map<String, BigDecimal> endUserSpend = new HashMap<>();

    @Override
    public synchronized void insertAll(Collection<SpendLog> batch) {
        logs.addAll(batch);
    }

    @Override
    public synchronized List<SpendLog> find(Filter filter, int offset, int limit) {
        return matching(filter).stream()
                .sorted(Comparator.comparing(SpendLog::startTime).reversed())
                .skip(offset).limit(limit).toList();
    }

    @Override
    public synchronized long count(Filter filter) {
        return matching(filter).size();
    }

    @Override
    public synchronized List<ReportRow> report(Filter filter, Set<GroupBy> groupBy) {
        Map<List<String>, List<SpendLog>> groups = new LinkedHashMap<>();
        for (SpendLog log : matching(filter)) {
            List<String> group = new ArrayList<>();
            for (GroupBy g : GroupBy.values()) {
                group.add(groupBy.contains(g) ? value(log, g) : null);
            }
            groups.computeIfAbsent(group, k -> new ArrayList<>()).add(log);
        }
        List<ReportRow> rows = new ArrayList<>();
        groups.forEach((group, members) -> {
            long in = 0;
            long out = 0;
            long read = 0;
            long write = 0;
            BigDecimal cost = BigDecimal.ZERO;
            String alias = null;
            for (SpendLog log : members) {
                in += log.usage().inputTokens();
                out += log.usage().outputTokens();
                read += log.usage().cacheReadTokens();
                write += log.usage().cacheWriteTokens();
                cost = cost.add(log.cost());
                alias = alias == null ? log.keyAlias() : alias;
            }
            rows.add(new ReportRow(group.get(0), groupBy.contains(GroupBy.KEY) ? alias : null, group.get(1),
                    group.get(2), group.get(3), group.get(4), group.get(5), members.size(), in, out, read, write,
                    cost));
        });
        return rows;
    }

    @Override
    public synchronized void addEndUserSpend(Map<String, BigDecimal> deltasByEndUser) {
        deltasByEndUser.forEach((user, delta) -> endUserSpend.merge(user, delta, BigDecimal::add));
    }

    @Override
    public synchronized BigDecimal endUserSpend(String endUser) {
        return endUserSpend.getOrDefault(endUser, BigDecimal.ZERO);
    }

    private List<SpendLog> matching(Filter f) {
        return logs.stream().filter(l -> (f.keyHash() == null || f.keyHash().equals(l.keyHash()))
                && (f.userId() == null || f.userId().equals(l.userId()))
                && (f.teamId() == null || f.teamId().equals(l.teamId()))
                && (f.endUser() == null || f.endUser().equals(l.endUser()))
                && (f.model() == null || f.model().equals(l.modelAlias()))
                && (f.from() == null || !l.startTime().isBefore(f.from()))
                && (f.to() == null || l.startTime().isBefore(f.to()))).toList();
    }

    private static String value(SpendLog log, GroupBy g) {
        return switch (g) {
            case KEY -> log.keyHash();
            case USER -> log.userId();
            case TEAM -> log.teamId();
            case END_USER -> log.endUser();
            case MODEL -> log.modelAlias();
            case DAY -> log.startTime().atZone(ZoneOffset.UTC).toLocalDate().toString();
        };
    }
}
