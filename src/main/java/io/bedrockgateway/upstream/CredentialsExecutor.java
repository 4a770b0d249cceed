package io.bedrockgateway.upstream;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small executor on which credential refreshes run (profile files, STS, container and instance metadata calls
 * all block), so that they never run on a container or reactor thread. Threads are daemons named
 * {@code gateway-credentials-N}; idle threads end after a minute, so an undeployed webapp leaves none behind for
 * long.
 *
 * <p>Thread-safe.
 */
public final class CredentialsExecutor {
    private static final int MAX_THREADS = 4;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static final Object LOCK = new Object();
    private static ExecutorService shared; // guarded by LOCK

    private CredentialsExecutor() {
    }

    /** The process-wide refresh executor, created on first use (again after {@link #shutdown()}). */
    public static ExecutorService shared() {
        synchronized (LOCK) {
            if (shared == null || shared.isShutdown()) {
                shared = newExecutor();
            }
            return shared;
        }
    }

    /** Stops the shared executor (webapp shutdown); refreshes in flight finish, queued ones are dropped. */
    public static void shutdown() {
        synchronized (LOCK) {
            if (shared != null) {
                shared.shutdownNow();
                shared = null;
            }
        }
    }

    private static ExecutorService newExecutor() {
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "gateway-credentials-" + THREAD_NUMBER.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        // Queue is effectively bounded: each credentials source has at most one refresh in flight.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
