package io.bedrockgateway.keys;

import io.bedrockgateway.auth.GatewayPrincipal;
import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;
import io.bedrockgateway.routing.BedrockOperation;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.spend.Usage;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Decides, before anything goes upstream, whether a key may make a call: blocked, expired, model allow-list,
 * parallel, rpm and tpm limits, and the key's and the end user's budgets. An admitted call reserves its estimated
 * cost; {@link #settle} replaces the reservation with the actual cost. Budgets therefore hold under concurrency: a
 * burst is admitted only while stored spend plus spend not yet written plus reservations stays under the budget, so
 * it overshoots by at most the calls in flight when the budget ran out, and only by how much they exceed their
 * estimates.
 *
 * <p>Limits are per gateway instance (in memory); spend is shared through the database.
 *
 * <p>Thread-safe: every decision for one key happens under that key's monitor; end users likewise.
 */
public final class Governor {
    private static final Logger LOG = Logger.getLogger(Governor.class.getName());

    private final Clock clock;
    private final CostEstimator estimator;
    private final Function<String, Optional<BigDecimal>> endUserBudget;
    private final Function<String, BigDecimal> endUserStoredSpend;
    private final Map<String, KeyState> keys = new ConcurrentHashMap<>();
    private final Map<String, SpendState> endUsers = new ConcurrentHashMap<>();

    /**
     * @param endUserBudget      the budget of an end user, if any
     * @param endUserStoredSpend the end user's spend in the database; called once per end user with a budget (it
     *                           may block: it runs at that end user's first call)
     */
    public Governor(Clock clock, CostEstimator estimator, Function<String, Optional<BigDecimal>> endUserBudget,
                    Function<String, BigDecimal> endUserStoredSpend) {
        this.clock = clock;
        this.estimator = estimator;
        this.endUserBudget = endUserBudget;
        this.endUserStoredSpend = endUserStoredSpend;
    }

    /** The stored spend of a key as just read from the database (the key cache calls this). */
    public void keyLoaded(VirtualKey key) {
        KeyState state = keys.computeIfAbsent(key.tokenHash(), h -> new KeyState());
        synchronized (state) {
            state.stored = key.spend();
        }
    }

    /**
     * Admits a call or throws the AWS-shaped refusal: 403 {@code AccessDeniedException} for a blocked or expired
     * key, a model not allowed and a spent budget; 429 {@code ThrottlingException} for rate and parallel limits.
     */
    public Admission admit(GatewayPrincipal principal, BedrockOperation operation, Deployment deployment,
                           String endUser) {
        VirtualKey key = principal.virtualKey();
        BigDecimal estimate = estimator.estimate(deployment);
        SpendState user = endUserState(endUser); // may read the database once: before any lock is taken
        if (key == null) {
            return new Admission(null, endUser, reserveEndUser(endUser, user, estimate));
        }
        Instant now = clock.instant();
        if (key.blocked()) {
            throw deny("This key is blocked");
        }
        if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
            throw deny("This key expired at " + key.expiresAt());
        }
        String notAllowed = ModelAllowList.denial(key.models(), operation, deployment);
        if (notAllowed != null) {
            throw deny(notAllowed);
        }
        KeyState state = keys.computeIfAbsent(key.tokenHash(), h -> new KeyState());
        long second = now.getEpochSecond();
        synchronized (state) {
            checkLimits(key, state, second);
            if (key.maxBudget() != null && state.committed().add(state.reserved).compareTo(key.maxBudget()) >= 0) {
                throw deny("Budget exceeded: this key has spent $" + state.committed().stripTrailingZeros()
                        .toPlainString() + " of its $" + key.maxBudget().toPlainString() + " budget");
            }
            reserveEndUser(endUser, user, estimate);
            state.reserved = state.reserved.add(estimate);
            state.inFlight++;
            state.requests.add(second, 1);
            warnSoftBudget(key, state);
        }
        return new Admission(key.tokenHash(), endUser, estimate);
    }

    /**
     * Ends an admitted call: releases its reservation and counts its actual cost and tokens. Call once.
     *
     * @param answeredBy the deployment that served the call (after retries, not always the one admitted), or
     *                   {@code null} when none did; its cost estimate learns from {@code cost}
     */
    public void settle(Admission admission, Deployment answeredBy, BigDecimal cost, Usage usage) {
        if (answeredBy != null) {
            estimator.observe(answeredBy, cost);
        }
        if (admission.tokenHash() != null) {
            KeyState state = keys.computeIfAbsent(admission.tokenHash(), h -> new KeyState());
            synchronized (state) {
                state.reserved = state.reserved.subtract(admission.reservation()).max(BigDecimal.ZERO);
                state.inFlight = Math.max(0, state.inFlight - 1);
                state.pending = state.pending.add(cost);
                state.tokens.add(clock.instant().getEpochSecond(), usage.totalTokens());
            }
        }
        SpendState user = admission.endUser() == null ? null : endUsers.get(admission.endUser());
        if (user != null) {
            synchronized (user) {
                user.reserved = user.reserved.subtract(admission.reservation()).max(BigDecimal.ZERO);
                user.pending = user.pending.add(cost);
            }
        }
    }

    /**
     * Spend was written to the database: {@code flushed} moves from "pending" to "stored", with the stored value
     * re-read after the write ({@code storedNow}, which includes other instances' spend too).
     */
    public void keySpendFlushed(String tokenHash, BigDecimal flushed, BigDecimal storedNow) {
        KeyState state = keys.computeIfAbsent(tokenHash, h -> new KeyState());
        synchronized (state) {
            state.pending = state.pending.subtract(flushed);
            state.stored = storedNow;
        }
    }

    /** Like {@link #keySpendFlushed} for an end user. */
    public void endUserSpendFlushed(String endUser, BigDecimal flushed, BigDecimal storedNow) {
        SpendState state = endUsers.get(endUser);
        if (state != null) {
            synchronized (state) {
                state.pending = state.pending.subtract(flushed);
                state.stored = storedNow;
            }
        }
    }

    private void checkLimits(VirtualKey key, KeyState state, long second) {
        if (key.maxParallelRequests() != null && state.inFlight >= key.maxParallelRequests()) {
            throw throttle("Too many parallel requests for this key (limit " + key.maxParallelRequests() + ")");
        }
        if (key.rpmLimit() != null && state.requests.sum(second) >= key.rpmLimit()) {
            throw throttle("Rate limit exceeded for this key: " + key.rpmLimit() + " requests per minute");
        }
        if (key.tpmLimit() != null && state.tokens.sum(second) >= key.tpmLimit()) {
            throw throttle("Rate limit exceeded for this key: " + key.tpmLimit() + " tokens per minute");
        }
    }

    /** The end user's spend state when a budget applies to them, else {@code null}. */
    private SpendState endUserState(String endUser) {
        if (endUser == null || endUserBudget.apply(endUser).isEmpty()) {
            return null;
        }
        return endUsers.computeIfAbsent(endUser, u -> {
            SpendState fresh = new SpendState();
            fresh.stored = endUserStoredSpend.apply(u);
            return fresh;
        });
    }

    /** @return what was reserved against the end user's budget (zero when the end user has none) */
    private BigDecimal reserveEndUser(String endUser, SpendState state, BigDecimal estimate) {
        if (state == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal budget = endUserBudget.apply(endUser).orElseThrow();
        synchronized (state) {
            if (state.committed().add(state.reserved).compareTo(budget) >= 0) {
                throw deny("Budget exceeded for end user '" + endUser + "': spent $"
                        + state.committed().stripTrailingZeros().toPlainString() + " of $"
                        + budget.toPlainString());
            }
            state.reserved = state.reserved.add(estimate);
        }
        return estimate;
    }

    private static void warnSoftBudget(VirtualKey key, KeyState state) {
        if (key.softBudget() != null && !state.softWarned && state.committed().compareTo(key.softBudget()) >= 0) {
            state.softWarned = true;
            LOG.warning(() -> "key " + (key.keyAlias() != null ? key.keyAlias() : key.keyName())
                    + " passed its soft budget of $" + key.softBudget().toPlainString());
        }
    }

    private static GatewayException deny(String message) {
        return new GatewayException(GatewayError.ACCESS_DENIED, message);
    }

    private static GatewayException throttle(String message) {
        return new GatewayException(GatewayError.THROTTLING, message);
    }

    /** Spend bookkeeping; guarded by its own monitor. */
    private static class SpendState {
        BigDecimal stored = BigDecimal.ZERO;
        BigDecimal pending = BigDecimal.ZERO;
        BigDecimal reserved = BigDecimal.ZERO;

        BigDecimal committed() {
            return stored.add(pending);
        }
    }

    /** A key's spend, in-flight count and rate windows; guarded by its own monitor. */
    private static final class KeyState extends SpendState {
        int inFlight;
        boolean softWarned;
        final RateWindow requests = new RateWindow();
        final RateWindow tokens = new RateWindow();
    }
}
