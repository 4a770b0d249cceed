package io.bedrockgateway.keys.jpa;

import io.bedrockgateway.keys.BudgetDuration;
import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.keys.VirtualKey;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * {@link KeyRepository} on JPA. Thread-safe: every method is one short transaction on its own entity manager, and
 * no entity leaves it. Spend changes are single {@code spend = spend + ?} statements, so several gateway instances
 * may share one database.
 *
 * <p>Besides {@code updated_at} (the last settings change, as {@link VirtualKey#updatedAt()}), each row has a
 * {@code changed_at} that every write moves, spend and budget resets included: {@link #changedSince} selects on it,
 * so a polling cache also sees other instances' spend. Those times come from this instance's clock; a poller should
 * let its windows overlap by a few seconds to cover clock skew and commit latency.
 */
public final class JpaKeyRepository implements KeyRepository {
    private static final Logger LOG = Logger.getLogger(JpaKeyRepository.class.getName());
    /** How long {@link #removedSince} remembers a removed hash. */
    static final Duration TOMBSTONE_RETENTION = Duration.ofDays(7);

    private final Transactions tx;
    private final Clock clock;

    public JpaKeyRepository(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public Optional<VirtualKey> findByHash(String tokenHash) {
        if (tokenHash == null) {
            return Optional.empty();
        }
        return tx.call(em -> Optional.ofNullable(em.find(KeyEntity.class, tokenHash)).map(KeyEntity::toRecord));
    }

    @Override
    public Optional<VirtualKey> findByAlias(String keyAlias) {
        if (keyAlias == null) {
            return Optional.empty();
        }
        return tx.call(em -> em.createQuery("SELECT k FROM VirtualKeyRow k WHERE k.keyAlias = :alias", KeyEntity.class)
                .setParameter("alias", keyAlias)
                .getResultStream().findFirst().map(KeyEntity::toRecord));
    }

    @Override
    public void insert(VirtualKey key) {
        KeyEntity row = KeyEntity.forInsert(key, Times.now(clock));
        try {
            tx.run(em -> {
                em.persist(row);
                em.flush();
            });
        } catch (RuntimeException e) {
            throw duplicateOr(e, key);
        }
    }

    @Override
    public boolean updateSettings(VirtualKey key) {
        Instant now = Times.now(clock);
        try {
            return tx.call(em -> {
                KeyEntity row = em.find(KeyEntity.class, key.tokenHash());
                if (row == null) {
                    return false;
                }
                // Only changed columns are written, never spend: concurrent addSpend calls are not lost.
                row.applySettings(key, now);
                em.flush();
                return true;
            });
        } catch (RuntimeException e) {
            throw duplicateOr(e, key);
        }
    }

    @Override
    public boolean rehash(String oldTokenHash, String newTokenHash, String newKeyName) {
        Instant now = Times.now(clock);
        try {
            return tx.call(em -> {
                int moved = em.createQuery("UPDATE VirtualKeyRow k SET k.tokenHash = :newHash, k.keyName = :name,"
                                + " k.updatedAt = :now, k.changedAt = :now WHERE k.tokenHash = :oldHash")
                        .setParameter("newHash", newTokenHash).setParameter("name", newKeyName)
                        .setParameter("now", Times.column(now)).setParameter("oldHash", oldTokenHash)
                        .executeUpdate();
                if (moved > 0) {
                    tombstone(em, List.of(oldTokenHash), now);
                }
                return moved > 0;
            });
        } catch (RuntimeException e) {
            if (Transactions.isUniqueViolation(e)) {
                throw new DuplicateKeyException("a key with the new hash exists already");
            }
            throw e;
        }
    }

    @Override
    public int delete(Collection<String> tokenHashes) {
        if (tokenHashes.isEmpty()) {
            return 0;
        }
        Instant now = Times.now(clock);
        return tx.call(em -> {
            int deleted = 0;
            for (List<String> chunk : Transactions.chunks(new LinkedHashSet<>(tokenHashes))) {
                // Locked, so that of two instances deleting one key, only the one that deletes it records that.
                List<String> existing = em.createQuery(
                                "SELECT k.tokenHash FROM VirtualKeyRow k WHERE k.tokenHash IN :hashes", String.class)
                        .setParameter("hashes", chunk).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
                if (existing.isEmpty()) {
                    continue;
                }
                deleted += em.createQuery("DELETE FROM VirtualKeyRow k WHERE k.tokenHash IN :hashes")
                        .setParameter("hashes", existing).executeUpdate();
                tombstone(em, existing, now);
            }
            return deleted;
        });
    }

    @Override
    public List<VirtualKey> list(String userId, String teamId, String keyAlias, int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit <= 0) {
            return List.of();
        }
        return tx.call(em -> filtered(em, "SELECT k", " ORDER BY k.createdAt DESC, k.tokenHash",
                        KeyEntity.class, userId, teamId, keyAlias)
                .setFirstResult(offset).setMaxResults(limit)
                .getResultList().stream().map(KeyEntity::toRecord).toList());
    }

    @Override
    public long count(String userId, String teamId, String keyAlias) {
        return tx.call(em -> filtered(em, "SELECT COUNT(k)", "", Long.class, userId, teamId, keyAlias)
                .getSingleResult());
    }

    @Override
    public void addSpend(Map<String, BigDecimal> deltasByTokenHash) {
        if (deltasByTokenHash.isEmpty()) {
            return;
        }
        Instant now = Times.now(clock);
        tx.run(em -> {
            // Sorted: instances updating overlapping keys lock rows in one order, so they cannot deadlock.
            new TreeMap<>(deltasByTokenHash).forEach((hash, delta) -> {
                if (delta != null && delta.signum() != 0) {
                    em.createQuery("UPDATE VirtualKeyRow k SET k.spend = k.spend + :delta, k.changedAt = :now"
                                    + " WHERE k.tokenHash = :hash")
                            .setParameter("delta", delta).setParameter("now", Times.column(now))
                            .setParameter("hash", hash)
                            .executeUpdate();
                }
            });
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The next reset is one period after the one that came due; when that is past too (the gateway was down
     * longer than a period), one period after {@code now}. A reset is conditional on the reset time still being
     * the one read, so two instances resetting at once reset each key once.
     */
    @Override
    public int resetDueBudgets(Instant now) {
        Instant at = Times.micros(now);
        return tx.call(em -> {
            List<Object[]> due = em.createQuery("SELECT k.tokenHash, k.budgetResetAt, k.budgetDuration"
                            + " FROM VirtualKeyRow k WHERE k.budgetResetAt <= :now AND k.budgetDuration IS NOT NULL"
                            + " ORDER BY k.tokenHash", Object[].class)
                    .setParameter("now", Times.column(at)).getResultList();
            int reset = 0;
            for (Object[] row : due) {
                Instant next = nextReset((String) row[0], Times.instant((OffsetDateTime) row[1]), (String) row[2], at);
                if (next != null) {
                    reset += em.createQuery("UPDATE VirtualKeyRow k SET k.spend = :zero, k.budgetResetAt = :next,"
                                    + " k.changedAt = :now WHERE k.tokenHash = :hash AND k.budgetResetAt = :due")
                            .setParameter("zero", BigDecimal.ZERO).setParameter("next", Times.column(next))
                            .setParameter("now", Times.column(Times.now(clock))).setParameter("hash", row[0])
                            .setParameter("due", row[1]).executeUpdate();
                }
            }
            return reset;
        });
    }

    /** {@inheritDoc} Selects on {@code changed_at}: settings, spend and budget resets; inclusive, oldest first. */
    @Override
    public List<VirtualKey> changedSince(Instant since) {
        return tx.call(em -> em.createQuery("SELECT k FROM VirtualKeyRow k WHERE k.changedAt >= :since"
                        + " ORDER BY k.changedAt, k.tokenHash", KeyEntity.class)
                .setParameter("since", Times.column(since))
                .getResultList().stream().map(KeyEntity::toRecord).toList());
    }

    @Override
    public List<String> removedSince(Instant since) {
        return tx.call(em -> em.createQuery("SELECT r.tokenHash FROM RemovedKeyRow r WHERE r.removedAt >= :since"
                        + " ORDER BY r.removedAt, r.tokenHash", String.class)
                .setParameter("since", Times.column(since)).getResultList());
    }

    private static <T> TypedQuery<T> filtered(EntityManager em, String select, String orderBy, Class<T> type,
                                              String userId, String teamId, String keyAlias) {
        List<String> where = new ArrayList<>();
        if (userId != null) {
            where.add("k.userId = :userId");
        }
        if (teamId != null) {
            where.add("k.teamId = :teamId");
        }
        if (keyAlias != null) {
            where.add("k.keyAlias = :keyAlias");
        }
        String jpql = select + " FROM VirtualKeyRow k"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + orderBy;
        TypedQuery<T> query = em.createQuery(jpql, type);
        if (userId != null) {
            query.setParameter("userId", userId);
        }
        if (teamId != null) {
            query.setParameter("teamId", teamId);
        }
        if (keyAlias != null) {
            query.setParameter("keyAlias", keyAlias);
        }
        return query;
    }

    private void tombstone(EntityManager em, List<String> hashes, Instant now) {
        em.createQuery("DELETE FROM RemovedKeyRow r WHERE r.removedAt < :cutoff OR r.tokenHash IN :hashes")
                .setParameter("cutoff", Times.column(now.minus(TOMBSTONE_RETENTION))).setParameter("hashes", hashes)
                .executeUpdate();
        for (String hash : hashes) {
            em.persist(new KeyTombstoneEntity(hash, Times.column(now)));
        }
    }

    private static Instant nextReset(String hash, Instant due, String duration, Instant now) {
        try {
            Instant next = BudgetDuration.nextReset(due, duration);
            return next.isAfter(now) ? next : BudgetDuration.nextReset(now, duration);
        } catch (IllegalArgumentException e) {
            LOG.warning("bedrock-gateway: key " + hash.substring(0, Math.min(12, hash.length()))
                    + "...: budget not reset: " + e.getMessage());
            return null;
        }
    }

    private RuntimeException duplicateOr(RuntimeException failure, VirtualKey key) {
        if (!Transactions.isUniqueViolation(failure)) {
            return failure;
        }
        boolean aliasTaken = key.keyAlias() != null
                && findByAlias(key.keyAlias()).filter(k -> !k.tokenHash().equals(key.tokenHash())).isPresent();
        return new DuplicateKeyException(aliasTaken
                ? "a key with the alias \"" + key.keyAlias() + "\" exists already"
                : "a key with this hash exists already");
    }
}
