package io.bedrockgateway.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reloads a {@link LiveConfig} when its file changes, on one daemon thread named {@value #THREAD_NAME}.
 *
 * <p>Two triggers: {@link WatchService} events on the file's parent directory (any event there, so editors that
 * write a temporary file and rename it, and Kubernetes ConfigMap {@code ..data} symlink swaps, are seen), and a poll
 * that compares the file's SHA-256 with the last reload attempt every {@link Settings#pollInterval()} (for file
 * systems without events, and a config path that is a symlink into another directory). Either one arms a debounce:
 * the reload runs once no further event has come for {@link Settings#debounce()}, so a burst of writes loads once
 * and a half-written file is mostly avoided; if one is loaded anyway, that reload fails (logged, old config kept)
 * and the next event or poll retries. {@link #requestReload()} arms the same debounce by hand (picked up within
 * 250 ms).
 *
 * <p>Thread-safe. {@link #close()} stops the thread and waits for it (bounded).
 */
public final class ConfigWatcher implements AutoCloseable {
    public static final String THREAD_NAME = "gateway-config-watcher";
    private static final Logger LOG = Logger.getLogger(ConfigWatcher.class.getName());
    private static final long JOIN_MILLIS = 5_000;
    private static final long MAX_EVENT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /**
     * How the watcher triggers.
     *
     * @param debounce      quiet time after the last event before reloading
     * @param pollInterval  how often the file's hash is compared (the fallback for missed events)
     * @param watchEvents   whether to use a {@link WatchService} at all ({@code false}: polling only)
     */
    public record Settings(Duration debounce, Duration pollInterval, boolean watchEvents) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(300), Duration.ofSeconds(5), true);

        public Settings {
            Objects.requireNonNull(debounce, "debounce");
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (debounce.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("debounce must be >= 0 and pollInterval > 0");
            }
        }

        /** The defaults with another poll interval. */
        public static Settings polling(Duration pollInterval) {
            return new Settings(DEFAULTS.debounce(), pollInterval, true);
        }
    }

    private final LiveConfig live;
    private final Settings settings;
    private final WatchService watchService; // null when events are off or unavailable
    private final Path fileName;
    private final Thread thread;
    private final Object lock = new Object();
    private long reloadAtNanos; // guarded by lock; 0 = nothing pending
    private boolean closed; // guarded by lock

    private ConfigWatcher(LiveConfig live, Settings settings) {
        this.live = live;
        this.settings = settings;
        Path file = live.file().toAbsolutePath();
        this.fileName = file.getFileName();
        this.watchService = settings.watchEvents() ? register(file.getParent()) : null;
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
    }

    /** Starts watching {@code live}'s file with {@link Settings#DEFAULTS}. */
    public static ConfigWatcher start(LiveConfig live) {
        return start(live, Settings.DEFAULTS);
    }

    public static ConfigWatcher start(LiveConfig live, Settings settings) {
        ConfigWatcher watcher = new ConfigWatcher(Objects.requireNonNull(live, "live"),
                Objects.requireNonNull(settings, "settings"));
        watcher.thread.start();
        LOG.info(() -> "watching config " + live.file() + " (events: " + (watcher.watchService != null)
                + ", poll every " + settings.pollInterval().toMillis() + " ms)");
        return watcher;
    }

    /**
     * Asks for a reload after the debounce, on the watcher thread; returns at once. For a synchronous reload with its
     * result (an admin endpoint), call {@link LiveConfig#reload()} directly.
     */
    public void requestReload() {
        arm();
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        if (watchService != null) {
            try {
                watchService.close(); // wakes a blocked poll
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing the config watch service", e);
            }
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private WatchService register(Path dir) {
        try {
            WatchService service = dir.getFileSystem().newWatchService();
            dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            return service;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warning("config " + live.file() + ": cannot watch " + dir + " (" + e + "); polling only");
            return null;
        }
    }

    private void run() {
        long nextPoll = System.nanoTime() + settings.pollInterval().toNanos();
        while (!isClosed()) {
            try {
                long now = System.nanoTime();
                if (now - nextPoll >= 0) {
                    nextPoll = now + settings.pollInterval().toNanos();
                    if (live.changedSinceLastAttempt()) {
                        arm();
                    }
                }
                if (reloadDue(now)) {
                    live.reload();
                    continue;
                }
                waitForEvents(Math.max(1, Math.min(nextPoll - now, untilReload(now))));
            } catch (ClosedWatchServiceException e) {
                return;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "config " + live.file() + ": watcher error; still watching", e);
                sleepQuietly();
            }
        }
    }

    /** Waits up to {@code nanos} for directory events (or a manual request) and arms the debounce on any. */
    private void waitForEvents(long nanos) throws InterruptedException {
        if (watchService == null) {
            synchronized (lock) {
                long wait = Math.min(nanos, untilReload(System.nanoTime()));
                if (!closed && wait > 0) {
                    TimeUnit.NANOSECONDS.timedWait(lock, wait); // woken early by arm() and close()
                }
            }
            return;
        }
        // WatchService.poll cannot be woken by arm(): bounded slices pick up manual requests.
        WatchKey key = watchService.poll(Math.min(nanos, MAX_EVENT_WAIT_NANOS), TimeUnit.NANOSECONDS);
        if (key == null) {
            return;
        }
        // Any event in the directory counts: renames over the file and ConfigMap symlink swaps name other entries.
        // An unrelated change costs one hash of the file.
        boolean any = !key.pollEvents().isEmpty();
        if (!key.reset()) {
            LOG.warning("config " + live.file() + ": its directory is no longer watchable; polling only");
        }
        if (any) {
            arm();
        }
    }

    private void arm() {
        synchronized (lock) {
            reloadAtNanos = nonZero(System.nanoTime() + settings.debounce().toNanos());
            lock.notifyAll();
        }
    }

    private boolean reloadDue(long now) {
        synchronized (lock) {
            if (reloadAtNanos != 0 && now - reloadAtNanos >= 0) {
                reloadAtNanos = 0;
                return true;
            }
            return false;
        }
    }

    private long untilReload(long now) {
        synchronized (lock) {
            return reloadAtNanos == 0 ? Long.MAX_VALUE : reloadAtNanos - now;
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private static long nonZero(long nanos) {
        return nanos == 0 ? 1 : nanos;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
