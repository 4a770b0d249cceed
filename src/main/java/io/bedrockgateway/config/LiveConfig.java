package io.bedrockgateway.config;

import io.bedrockgateway.upstream.CredentialsFactory;
import io.bedrockgateway.upstream.CredentialsSource;
import io.bedrockgateway.upstream.CredentialsSources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live {@link GatewayConfig} of a running gateway, and the one place that replaces it. {@link #reload()} loads
 * the same file with the same {@link Environment} again: a valid file is swapped in and the listeners are told; a
 * file that cannot be read or loaded is refused with one WARNING line naming the file and the error, and the
 * running config stays. A file whose content (SHA-256) equals the live config's is not loaded at all.
 *
 * <p>Calls in flight are never disturbed: they hold the {@code Deployment} and {@code RouteTable} they routed with,
 * and those are immutable. Credentials sources survive a reload when their spec is unchanged (cached credentials
 * are kept); a source the new config no longer uses is closed after {@link #DEFAULT_CREDENTIALS_GRACE}: sources are
 * only asked for credentials when a request is signed, before it goes upstream, so the grace only has to cover a
 * request that routed with the old table and has not been signed yet (plus ample margin).
 *
 * <p>Thread-safe. {@link #current()} is a volatile read and never returns {@code null}. Reloads are serialized; the
 * listeners run on the reloading thread, after the swap, in registration order, under the reload lock (so they see
 * the configs in order); a listener must not call {@link #reload()} and should be quick.
 */
public final class LiveConfig implements AutoCloseable {
    /** How long a credentials source the config no longer uses is kept open. */
    public static final Duration DEFAULT_CREDENTIALS_GRACE = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(LiveConfig.class.getName());

    private final Path file;
    private final Environment env;
    private final Supplier<String> profileRegion;
    private final Duration credentialsGrace;
    private final CredentialsGenerations credentials;
    private final AtomicReference<GatewayConfig> current = new AtomicReference<>();
    private final List<Consumer<GatewayConfig>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock reloadLock = new ReentrantLock();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private volatile byte[] liveHash; // guarded by reloadLock for writes
    private volatile byte[] attemptedHash; // content of the last reload attempt, applied or not
    private volatile ReloadResult lastResult;
    private ScheduledExecutorService retirer; // guarded by reloadLock; created on the first retirement
    private final Set<List<CredentialsSource>> retiring = ConcurrentHashMap.newKeySet(); // waiting out the grace
    private boolean closed; // guarded by reloadLock

    private LiveConfig(Path file, Environment env, CredentialsFactory credentials, Supplier<String> profileRegion,
                       Duration credentialsGrace) {
        this.file = Objects.requireNonNull(file, "file");
        this.env = Objects.requireNonNull(env, "env");
        this.credentials = new CredentialsGenerations(Objects.requireNonNull(credentials, "credentials"));
        this.profileRegion = Objects.requireNonNull(profileRegion, "profileRegion");
        this.credentialsGrace = Objects.requireNonNull(credentialsGrace, "credentialsGrace");
    }

    /** Loads {@code file} for the first time (as {@link ConfigLoader#load(Path, Environment)}), with AWS credentials. */
    public static LiveConfig load(Path file, Environment env) throws ConfigException {
        return load(file, env, CredentialsSources.sdk(), ConfigLoader::profileRegion, DEFAULT_CREDENTIALS_GRACE);
    }

    /**
     * Loads {@code file} for the first time with the given seams (tests pass fakes and a short grace).
     *
     * @param credentialsGrace how long a source that a reload stopped using stays open before it is closed
     * @throws ConfigException when the first load fails: there is no previous config to keep
     */
    public static LiveConfig load(Path file, Environment env, CredentialsFactory credentials,
                                  Supplier<String> profileRegion, Duration credentialsGrace) throws ConfigException {
        LiveConfig live = new LiveConfig(file, env, credentials, profileRegion, credentialsGrace);
        live.reloadLock.lock();
        try {
            byte[] hash;
            try {
                hash = hash(file);
            } catch (IOException e) {
                throw new ConfigException(unreadable(file, e), e);
            }
            CredentialsGenerations.Load load = live.credentials.begin();
            try {
                live.current.set(ConfigLoader.load(file, env, load, profileRegion));
            } catch (ConfigException | RuntimeException e) {
                load.abandon();
                throw e;
            }
            load.commit();
            live.liveHash = hash;
            live.attemptedHash = hash;
            live.lastResult = new ReloadResult(ReloadResult.Status.APPLIED, "loaded " + file, Instant.now());
            return live;
        } finally {
            live.reloadLock.unlock();
        }
    }

    /** The live config; never {@code null}. Callers that need consistent values read it once per request. */
    public GatewayConfig current() {
        return current.get();
    }

    /** The watched config file. */
    public Path file() {
        return file;
    }

    /**
     * Calls {@code onChange} with every config a later reload applies (not with the current one). A listener that
     * throws is logged; the swap stands and the other listeners still run.
     */
    public void addListener(Consumer<GatewayConfig> onChange) {
        listeners.add(Objects.requireNonNull(onChange, "onChange"));
    }

    /** Loads the file again unless its content equals the live config's. Blocks while another reload runs. */
    public ReloadResult reload() {
        return reload(false);
    }

    /**
     * Loads the file again.
     *
     * @param force load even when the content equals the live config's (e.g. after an environment variable or a
     *              token file the config names has changed)
     */
    public ReloadResult reload(boolean force) {
        reloadLock.lock();
        try {
            if (closed) {
                return record(ReloadResult.Status.FAILED, "config " + file + ": closed, not reloaded");
            }
            byte[] hash;
            try {
                hash = hash(file);
            } catch (IOException e) {
                return refuse(unreadable(file, e));
            }
            attemptedHash = hash;
            if (!force && Arrays.equals(hash, liveHash)) {
                unchanged.incrementAndGet();
                return record(ReloadResult.Status.UNCHANGED, "config " + file + ": unchanged");
            }
            CredentialsGenerations.Load load = credentials.begin();
            GatewayConfig next;
            try {
                next = ConfigLoader.load(file, env, load, profileRegion);
            } catch (ConfigException | RuntimeException e) {
                load.abandon();
                return refuse(withFile(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
            GatewayConfig previous = current.getAndSet(next);
            liveHash = hash;
            retire(load.commit());
            applied.incrementAndGet();
            String message = "config " + file + ": reloaded, aliases " + previous.routes().aliases() + " -> "
                    + next.routes().aliases();
            LOG.info(message);
            notifyListeners(next);
            return record(ReloadResult.Status.APPLIED, message);
        } finally {
            reloadLock.unlock();
        }
    }

    /** Whether the file's content differs from the last reload attempt's (for pollers; failures count as tried). */
    boolean changedSinceLastAttempt() {
        try {
            return !Arrays.equals(hash(file), attemptedHash);
        } catch (IOException e) {
            return false; // a missing file is reported by the next event-driven reload, not every poll
        }
    }

    /** Counters and the last outcome, for health and metrics. */
    public Stats stats() {
        return new Stats(applied.get(), failed.get(), unchanged.get(), lastResult);
    }

    /**
     * Reload counters. Immutable.
     *
     * @param applied   reloads that swapped in a new config (the first load not counted)
     * @param failed    reloads refused
     * @param unchanged reloads skipped because the content was the live config's
     * @param last      the last outcome (the first load's at start)
     */
    public record Stats(long applied, long failed, long unchanged, ReloadResult last) {
    }

    /**
     * Stops reloading and closes every credentials source now: the live ones and those waiting out their grace.
     * Call it at shutdown, after the upstream client has stopped. {@link #current()} keeps working.
     */
    @Override
    public void close() {
        reloadLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (retirer != null) {
                retirer.shutdownNow();
            }
            retiring.forEach(sources -> sources.forEach(CredentialsGenerations::close));
            retiring.clear();
            credentials.live().forEach(CredentialsGenerations::close);
        } finally {
            reloadLock.unlock();
        }
    }

    private ReloadResult refuse(String message) {
        failed.incrementAndGet();
        LOG.warning(message + " (reload refused; the running config stays)");
        return record(ReloadResult.Status.FAILED, message);
    }

    private ReloadResult record(ReloadResult.Status status, String message) {
        ReloadResult result = new ReloadResult(status, message, Instant.now());
        lastResult = result;
        return result;
    }

    /** Loader messages name the file for file-level errors only; field errors get it prefixed. */
    private String withFile(String message) {
        return message.startsWith("config file ") ? message : "config file " + file + ": " + message;
    }

    private void notifyListeners(GatewayConfig next) {
        for (Consumer<GatewayConfig> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw (VirtualMachineError) e;
                }
                LOG.log(Level.WARNING, "config " + file + ": a reload listener failed; the new config stays live", e);
            }
        }
    }

    private void retire(List<CredentialsSource> sources) {
        if (sources.isEmpty()) {
            return;
        }
        if (retirer == null) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "gateway-config-retire");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            retirer = executor;
        }
        List<CredentialsSource> batch = List.copyOf(sources);
        retiring.add(batch);
        retirer.schedule(() -> {
            if (retiring.remove(batch)) {
                batch.forEach(CredentialsGenerations::close);
            }
        }, credentialsGrace.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static String unreadable(Path file, IOException e) {
        return e instanceof NoSuchFileException ? "config file " + file + ": not found"
                : "config file " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")";
    }

    static byte[] hash(Path file) throws IOException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
