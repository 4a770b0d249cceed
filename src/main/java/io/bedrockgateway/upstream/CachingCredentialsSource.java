package io.bedrockgateway.upstream;

import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link CredentialsSource} over a blocking loader (an SDK credentials provider, an STS call), honouring the
 * interface contract: a completed future on a cache hit; otherwise at most one refresh in flight, run on the
 * credentials executor and shared by all callers.
 *
 * <p>Credentials that carry an {@link AwsCredentialsIdentity#expirationTime() expiration} are refreshed in the
 * background from {@value #PREFETCH_MINUTES} minutes before it while the cached ones are still served; from
 * {@value #STALE_MINUTES} minute before it callers wait for the refresh (unless a failed refresh is being backed off:
 * then the old credentials are served until they actually expire). Credentials without an expiration are
 * re-read in the background every {@value #UNEXPIRING_REFRESH_MINUTES} minutes (the default chain may hand out
 * instance credentials without one). A failed refresh completes the callers' future with a
 * {@link GatewayException} ({@link GatewayError#SERVICE_UNAVAILABLE}) whose message holds no secret; further calls
 * fail fast for a short back-off, then try again.
 *
 * <p>Futures complete on a {@code gateway-credentials-N} thread when a refresh was needed: attach dependent work with
 * an {@code *Async} method and an executor of your own if it must not run there.
 *
 * <p>Thread-safe.
 */
public final class CachingCredentialsSource implements CredentialsSource, AutoCloseable {
    static final int PREFETCH_MINUTES = 5;
    static final int STALE_MINUTES = 1;
    static final int UNEXPIRING_REFRESH_MINUTES = 10;
    static final Duration FAILURE_BACKOFF = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(CachingCredentialsSource.class.getName());
    private static final String CLIENT_MESSAGE =
            "The gateway could not obtain AWS credentials for this deployment; see the gateway log";

    private final String description;
    private final Callable<? extends AwsCredentialsIdentity> loader;
    private final Executor executor;
    private final Clock clock;
    private final AutoCloseable resource;
    private final Object lock = new Object();
    private volatile Cached cached;
    private CompletableFuture<AwsCredentialsIdentity> inFlight; // guarded by lock
    private Failure failure; // guarded by lock

    /**
     * @param description for logs and {@link #describe()}; must not contain secrets
     * @param loader      blocking call that produces fresh credentials; only ever runs on the credentials executor
     */
    public CachingCredentialsSource(String description, Callable<? extends AwsCredentialsIdentity> loader) {
        this(description, loader, CredentialsExecutor.shared(), Clock.systemUTC(), null);
    }

    /**
     * @param resource closed by {@link #close()} (e.g. an STS client), or {@code null}
     */
    CachingCredentialsSource(String description, Callable<? extends AwsCredentialsIdentity> loader,
                             Executor executor, Clock clock, AutoCloseable resource) {
        this.description = Objects.requireNonNull(description, "description");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.resource = resource;
    }

    @Override
    public CompletableFuture<AwsCredentialsIdentity> resolve() {
        Instant now = clock.instant();
        Cached current = cached;
        if (current != null && now.isBefore(current.prefetchAt())) {
            return CompletableFuture.completedFuture(current.identity());
        }
        synchronized (lock) {
            current = cached;
            if (current != null && now.isBefore(current.staleAt())) {
                if (inFlight == null && !backingOff(now)) {
                    startRefresh();
                }
                return CompletableFuture.completedFuture(current.identity());
            }
            if (inFlight != null) {
                return inFlight.copy();
            }
            if (backingOff(now)) {
                // Better slightly stale than failing while the last refresh attempt is being backed off.
                return current != null && now.isBefore(current.expiresAt())
                        ? CompletableFuture.completedFuture(current.identity())
                        : CompletableFuture.failedFuture(failure.error());
            }
            return startRefresh().copy();
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** Closes the underlying resource (an STS client); the cache stays usable until it expires. */
    @Override
    public void close() {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing credentials resource of " + description, e);
            }
        }
    }

    @Override
    public String toString() {
        return "CachingCredentialsSource[" + description + "]";
    }

    /** Caller holds {@link #lock}. */
    private boolean backingOff(Instant now) {
        return failure != null && now.isBefore(failure.retryAt());
    }

    /** Caller holds {@link #lock}. */
    private CompletableFuture<AwsCredentialsIdentity> startRefresh() {
        CompletableFuture<AwsCredentialsIdentity> refresh = new CompletableFuture<>();
        inFlight = refresh;
        try {
            executor.execute(() -> refresh(refresh));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "AWS credentials refresh for " + description + " rejected: " + e);
            refresh.completeExceptionally(recordFailure());
        }
        return refresh;
    }

    private void refresh(CompletableFuture<AwsCredentialsIdentity> refresh) {
        AwsCredentialsIdentity identity;
        Cached fresh;
        try {
            identity = loader.call();
            if (identity == null) {
                throw new IllegalStateException("credentials provider returned nothing");
            }
            fresh = Cached.of(identity, clock.instant());
        } catch (Throwable e) {
            // Whatever went wrong, the shared future must complete, or every later caller would wait forever.
            LOG.log(Level.WARNING, "AWS credentials refresh failed for " + description + ": " + e, e);
            GatewayException error;
            synchronized (lock) {
                error = recordFailure();
            }
            refresh.completeExceptionally(error);
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e;
            }
            return;
        }
        synchronized (lock) {
            cached = fresh;
            inFlight = null;
            failure = null;
        }
        refresh.complete(identity);
    }

    /** Caller holds {@link #lock}. */
    private GatewayException recordFailure() {
        GatewayException error = GatewayError.SERVICE_UNAVAILABLE.exception(CLIENT_MESSAGE);
        inFlight = null;
        failure = new Failure(error, clock.instant().plus(FAILURE_BACKOFF));
        return error;
    }

    private record Failure(GatewayException error, Instant retryAt) {
    }

    /**
     * Cached credentials with the instants at which to refresh in the background ({@code prefetchAt}) and at which
     * callers must wait for fresh ones ({@code staleAt}).
     */
    record Cached(AwsCredentialsIdentity identity, Instant prefetchAt, Instant staleAt, Instant expiresAt) {
        static Cached of(AwsCredentialsIdentity identity, Instant now) {
            Instant expiry = identity.expirationTime().orElse(null);
            if (expiry == null) {
                return new Cached(identity, now.plus(Duration.ofMinutes(UNEXPIRING_REFRESH_MINUTES)), Instant.MAX,
                        Instant.MAX);
            }
            if (!expiry.isAfter(now)) {
                throw new IllegalStateException("credentials provider returned expired credentials");
            }
            // Short-lived credentials are still used for half their remaining life, never refetched in a loop.
            Instant half = now.plus(Duration.between(now, expiry).dividedBy(2));
            Instant staleAt = latest(expiry.minus(Duration.ofMinutes(STALE_MINUTES)), half);
            Instant prefetchAt = latest(expiry.minus(Duration.ofMinutes(PREFETCH_MINUTES)), half);
            return new Cached(identity, prefetchAt.isAfter(staleAt) ? staleAt : prefetchAt, staleAt, expiry);
        }

        private static Instant latest(Instant a, Instant b) {
            return a.isAfter(b) ? a : b;
        }
    }
}
