package io.bedrockgateway;

import io.bedrockgateway.auth.KeyVerifier;
import io.bedrockgateway.config.ConfigException;
import io.bedrockgateway.config.GatewayConfig;
import io.bedrockgateway.config.GovernanceSettings;
import io.bedrockgateway.keys.CostEstimator;
import io.bedrockgateway.keys.GovernanceFilter;
import io.bedrockgateway.keys.Governor;
import io.bedrockgateway.keys.KeyCache;
import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.keys.VirtualKeyVerifier;
import io.bedrockgateway.keys.jpa.Database;
import io.bedrockgateway.keys.jpa.DatabaseSettings;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.spend.CostCalculator;
import io.bedrockgateway.spend.PricedUsage;
import io.bedrockgateway.spend.Pricing;
import io.bedrockgateway.spend.SpendAccountant;
import io.bedrockgateway.spend.SpendLogRepository;
import io.bedrockgateway.spend.SpendRecorder;
import io.bedrockgateway.spend.Usage;
import io.bedrockgateway.spend.UsageTap;
import io.bedrockgateway.spend.UsageTaps;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Keys, budgets and spend, wired together: the database, the key cache, the governor, the spend recorder and the
 * pricing. Built once at start-up by {@link GatewayBootstrap}; closing it writes the spend still queued.
 *
 * <p>Thread-safe once built.
 */
final class GovernanceModule implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GovernanceModule.class.getName());
    /** A typical call, to price a reservation before the first real cost is known. */
    private static final Usage TYPICAL_CALL = new Usage(1_000, 500, 0, 0);
    private static final BigDecimal UNPRICED_ESTIMATE = new BigDecimal("0.01");
    private static final long REFRESH_EVERY_MILLIS = 2_000;

    private final Database database;
    private final KeyCache keyCache;
    private final Governor governor;
    private final SpendRecorder recorder;
    private final GovernanceFilter filter;
    private final Pricing pricing;
    private volatile long lastRefreshMillis;

    private GovernanceModule(GovernanceSettings settings, Database database, Clock clock) {
        this.database = database;
        this.pricing = Pricing.withDefaultTable();
        KeyRepository keys = database.keys();
        SpendLogRepository logs = database.spendLogs();
        CostEstimator estimator = new CostEstimator(this::typicalCost);
        this.governor = new Governor(clock, estimator, settings::endUserBudget, logs::endUserSpend);
        this.keyCache = new KeyCache(keys, clock, governor::keyLoaded);
        keyCache.loadAll();
        this.recorder = new SpendRecorder(logs, keys, governor, settings.spendFlushInterval(),
                () -> periodic(keys, clock));
        CostCalculator costs = (deployment, modelId, usage) -> {
            PricedUsage priced = pricing.price(deployment, modelId, usage);
            return new CostCalculator.Cost(priced.cost(), priced.priceUnknown());
        };
        this.filter = new GovernanceFilter(governor, new SpendAccountant(costs, governor, recorder));
    }

    /**
     * Opens the database (migrating it) and loads the keys.
     *
     * @throws ConfigException when the database cannot be opened, with one line saying why
     */
    static GovernanceModule start(GatewayConfig config, Clock clock) throws ConfigException {
        GovernanceSettings settings = config.governance();
        Database database;
        try {
            database = Database.open(new DatabaseSettings(settings.databaseUrl(), settings.dataDirectory(), 0));
        } catch (RuntimeException e) {
            throw new ConfigException("database: " + e.getMessage(), e);
        }
        try {
            GovernanceModule module = new GovernanceModule(settings, database, clock);
            module.warnUnpriced(config);
            LOG.info(() -> "keys and spend in " + database.description());
            return module;
        } catch (RuntimeException e) {
            database.close();
            throw new ConfigException("database: " + e.getMessage(), e);
        }
    }

    /** The master key first, then the virtual keys. */
    KeyVerifier keyVerifier(KeyVerifier master) {
        VirtualKeyVerifier virtualKeys = new VirtualKeyVerifier(keyCache);
        return presented -> master.verify(presented).or(() -> virtualKeys.verify(presented));
    }

    GovernanceFilter filter() {
        return filter;
    }

    UsageTap.Factory usageTaps() {
        return UsageTaps::forOperation;
    }

    KeyCache keyCache() {
        return keyCache;
    }

    Database database() {
        return database;
    }

    SpendRecorder recorder() {
        return recorder;
    }

    private BigDecimal typicalCost(Deployment deployment) {
        PricedUsage priced = pricing.price(deployment, null, TYPICAL_CALL);
        return priced.priceUnknown() ? UNPRICED_ESTIMATE : priced.cost();
    }

    /** On the spend thread, after each flush: budget resets and the key cache refresh. */
    private void periodic(KeyRepository keys, Clock clock) {
        long now = clock.millis();
        if (now - lastRefreshMillis < REFRESH_EVERY_MILLIS) {
            return;
        }
        lastRefreshMillis = now;
        int reset = keys.resetDueBudgets(Instant.ofEpochMilli(now));
        if (reset > 0) {
            LOG.info(() -> reset + " key budgets reset for a new period");
        }
        keyCache.refresh();
    }

    private void warnUnpriced(GatewayConfig config) {
        List<Deployment> all = new ArrayList<>();
        config.routes().deploymentsByAlias().values().forEach(all::addAll);
        pricing.unpricedDeployments(all).forEach(unpriced -> LOG.warning(() -> "no price for " + unpriced.alias()
                + " (" + unpriced.modelId() + "): its calls are recorded at $0 with price_unknown; set "
                + "model_info.input_cost_per_token and output_cost_per_token. " + unpriced.reason()));
    }

    @Override
    public void close() {
        try {
            recorder.close();
        } finally {
            database.close();
        }
    }
}
