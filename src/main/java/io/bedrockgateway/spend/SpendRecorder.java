package io.bedrockgateway.spend;

import io.bedrockgateway.keys.Governor;
import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.keys.VirtualKey;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes spend off the request path: calls hand their rows to an in-memory queue; one thread
 * ({@code gateway-spend}) writes them in batches every flush interval: the log rows in one insert, and each key's
 * and end user's total as one atomic {@code spend = spend + ?} update, so several instances can share one database.
 * The same thread runs the periodic {@code extraWork} (key cache refresh, budget resets), so a refresh never
 * interleaves with a flush. A graceful shutdown flushes; a crash loses at most one interval. A failed write is
 * retried at the next flush.
 *
 * <p>Thread-safe: {@link #record} is non-blocking and may be called from any thread.
 */
public final class SpendRecorder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SpendRecorder.class.getName());
    private static final int MAX_QUEUED = 1_000_000;
    private static final int MAX_RETAINED_FAILED = 100_000;

    private final SpendLogRepository logs;
    private final KeyRepository keys;
    private final Governor governor;
    private final Runnable extraWork;
    private final ConcurrentLinkedQueue<SpendLog> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final List<SpendLog> retryRows = new ArrayList<>();
    private final Map<String, BigDecimal> retryKeyDeltas = new HashMap<>();
    private final Map<String, BigDecimal> retryEndUserDeltas = new HashMap<>();
    private final ScheduledExecutorService thread;

    public SpendRecorder(SpendLogRepository logs, KeyRepository keys, Governor governor, Duration interval,
                         Runnable extraWork) {
        this.logs = logs;
        this.keys = keys;
        this.governor = governor;
        this.extraWork = extraWork;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gateway-spend");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = executor;
        long millis = Math.max(50, interval.toMillis());
        thread.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Queues one row; never blocks. */
    public void record(SpendLog row) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            if (dropped.incrementAndGet() % 10_000 == 1) {
                LOG.severe("spend queue full: the database is not keeping up; spend rows are being dropped");
            }
            return;
        }
        queue.add(row);
    }

    /** Writes everything queued now, on the spend thread, and waits for it (tests, shutdown). */
    public void flushNow() {
        try {
            thread.submit(this::flush).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "spend flush did not finish", e);
        }
    }

    private void tick() {
        flush();
        try {
            extraWork.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "key refresh failed; will retry", e);
        }
    }

    private void flush() {
        List<SpendLog> batch = new ArrayList<>(retryRows);
        retryRows.clear();
        for (SpendLog row; (row = queue.poll()) != null; ) {
            queued.decrementAndGet();
            batch.add(row);
        }
        Map<String, BigDecimal> byKey = new HashMap<>(retryKeyDeltas);
        Map<String, BigDecimal> byEndUser = new HashMap<>(retryEndUserDeltas);
        retryKeyDeltas.clear();
        retryEndUserDeltas.clear();
        for (SpendLog row : batch) {
            if (row.cost().signum() > 0) {
                if (row.keyHash() != null && row.keyHash().length() == 64) {
                    byKey.merge(row.keyHash(), row.cost(), BigDecimal::add);
                }
                if (row.endUser() != null) {
                    byEndUser.merge(row.endUser(), row.cost(), BigDecimal::add);
                }
            }
        }
        // Three stages, each retried on its own, so a failure never writes a row or a delta twice.
        if (!batch.isEmpty() && !write("spend rows", () -> logs.insertAll(batch))) {
            retryRows.addAll(batch.subList(0, Math.min(batch.size(), MAX_RETAINED_FAILED)));
        }
        if (!byKey.isEmpty()) {
            if (write("key spend", () -> keys.addSpend(byKey))) {
                byKey.forEach((hash, delta) -> governor.keySpendFlushed(hash, delta,
                        keys.findByHash(hash).map(VirtualKey::spend).orElse(BigDecimal.ZERO)));
            } else {
                retryKeyDeltas.putAll(byKey);
            }
        }
        if (!byEndUser.isEmpty()) {
            if (write("end-user spend", () -> logs.addEndUserSpend(byEndUser))) {
                byEndUser.forEach((user, delta) ->
                        governor.endUserSpendFlushed(user, delta, logs.endUserSpend(user)));
            } else {
                retryEndUserDeltas.putAll(byEndUser);
            }
        }
    }

    private static boolean write(String what, Runnable write) {
        try {
            write.run();
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "writing " + what + " failed; retrying at the next flush", e);
            return false;
        }
    }

    /** Flushes what is queued and stops the thread. */
    @Override
    public void close() {
        flushNow();
        thread.shutdownNow();
    }
}
