package io.bedrockgateway.keys.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs work in one resource-local transaction on its own entity manager: begin, work, commit; rollback on any
 * failure; always close. Thread-safe (the factory is); each call uses its own entity manager and connection.
 */
public final class Transactions {
    /** IN-lists are split at this size: well under every driver's parameter limit. */
    public static final int IN_LIST_CHUNK = 500;
    private static final String UNIQUE_VIOLATION = "23505";

    private final EntityManagerFactory factory;

    public Transactions(EntityManagerFactory factory) {
        this.factory = factory;
    }

    public <T> T call(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } finally {
            try {
                if (tx.isActive()) {
                    tx.rollback();
                }
            } finally {
                em.close();
            }
        }
    }

    public void run(Consumer<EntityManager> work) {
        call(em -> {
            work.accept(em);
            return null;
        });
    }

    /** Whether {@code failure} was caused by a unique or primary-key violation (SQLSTATE 23505 on both databases). */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** {@code items} in lists of at most {@link #IN_LIST_CHUNK}. */
    public static <T> List<List<T>> chunks(Collection<T> items) {
        List<T> all = new ArrayList<>(items);
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_LIST_CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + IN_LIST_CHUNK)));
        }
        return chunks;
    }
}
