package io.bedrockgateway.spend;

import io.bedrockgateway.routing.Deployment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Prices calls: a deployment's {@code model_info} prices first (see {@link PriceOverride} for the keys), then the
 * {@link PriceTable}.
 *
 * <p>Cost = input × input price + output × output price + cache read × cache-read price + cache write × cache-write
 * price, in exact decimal arithmetic, with the long-context tier the prompt size selects (table prices only).
 *
 * <p>Thread-safe: the parsed {@code model_info} of each deployment is cached in a {@link ConcurrentHashMap}; a
 * deployment whose {@code model_info} map is a different instance (a reloaded config) is parsed again.
 */
public final class Pricing {
    private static final Logger LOG = Logger.getLogger(Pricing.class.getName());
    private static final int MAX_CACHED_DEPLOYMENTS = 4096;

    private final PriceTable table;
    private final ConcurrentMap<String, ParsedInfo> overrides = new ConcurrentHashMap<>();

    public Pricing(PriceTable table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    /** Pricing with the bundled table. */
    public static Pricing withDefaultTable() {
        return new Pricing(PriceTable.loadDefault());
    }

    /** The table behind this pricing. */
    public PriceTable table() {
        return table;
    }

    /**
     * The price of a call to {@code modelId} through {@code deployment}.
     *
     * @param deployment the deployment that served the call, or {@code null} (no override)
     * @param modelId    the model id, profile id or ARN the call used; {@code null}: the deployment's upstream model.
     *                   The deployment's {@code model_info.base_model}, when set, is looked up instead.
     */
    public Optional<ModelPrice> priceFor(Deployment deployment, String modelId) {
        PriceOverride override = override(deployment);
        String lookupId = lookupId(deployment, modelId, override);
        ModelPrice tablePrice = table.lookup(lookupId).orElse(null);
        return Optional.ofNullable(override.applyTo(tablePrice));
    }

    /**
     * Prices one call's usage. A call without tokens costs 0 and is not flagged; a call with tokens and no known
     * price costs 0 and is flagged {@link PricedUsage#priceUnknown()}.
     *
     * @param deployment        as for {@link #priceFor}
     * @param modelIdForLookup  as {@code modelId} for {@link #priceFor}
     * @param usage             the tokens
     */
    public PricedUsage price(Deployment deployment, String modelIdForLookup, Usage usage) {
        Objects.requireNonNull(usage, "usage");
        if (usage.isEmpty()) {
            return PricedUsage.unknown(usage);
        }
        Optional<ModelPrice> price = priceFor(deployment, modelIdForLookup);
        if (price.isEmpty()) {
            return PricedUsage.unknown(usage);
        }
        ModelPrice applied = price.get().at(usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens());
        return new PricedUsage(usage, applied.cost(usage), false, applied);
    }

    /**
     * The configured deployments (those with an alias) whose upstream model has no price, for a start-up warning.
     * Also logs, once per deployment, any {@code model_info} price that is not a valid number.
     */
    public List<UnpricedDeployment> unpricedDeployments(Collection<Deployment> deployments) {
        List<UnpricedDeployment> unpriced = new ArrayList<>();
        for (Deployment deployment : deployments) {
            if (deployment.alias() == null || priceFor(deployment, null).isPresent()) {
                continue;
            }
            PriceOverride override = override(deployment);
            String lookupId = lookupId(deployment, null, override);
            unpriced.add(new UnpricedDeployment(deployment.alias(), deployment.id(), lookupId, reason(override)));
        }
        return List.copyOf(unpriced);
    }

    private static String reason(PriceOverride override) {
        StringBuilder reason = new StringBuilder("the price table does not know this model");
        if (override.hasPrices()) {
            reason.append(" and model_info sets only some prices (without a table price it needs both ")
                    .append(PriceOverride.INPUT).append(" and ").append(PriceOverride.OUTPUT).append(')');
        } else {
            reason.append("; set model_info.").append(PriceOverride.INPUT).append(" and ")
                    .append(PriceOverride.OUTPUT).append(" (USD per token), or model_info.")
                    .append(PriceOverride.BASE_MODEL);
        }
        override.problems().forEach(problem -> reason.append("; ").append(problem));
        return reason.toString();
    }

    private static String lookupId(Deployment deployment, String modelId, PriceOverride override) {
        if (override.baseModel() != null) {
            return override.baseModel();
        }
        if (modelId == null && deployment != null) {
            return deployment.upstreamModelId();
        }
        return modelId;
    }

    private PriceOverride override(Deployment deployment) {
        if (deployment == null || deployment.modelInfo().isEmpty()) {
            return PriceOverride.NONE;
        }
        Map<String, Object> modelInfo = deployment.modelInfo();
        ParsedInfo parsed = overrides.get(deployment.id());
        if (parsed != null && parsed.modelInfo() == modelInfo) {
            return parsed.override();
        }
        PriceOverride override = PriceOverride.of(modelInfo);
        if (!override.problems().isEmpty()) {
            LOG.log(Level.WARNING, () -> "Deployment " + deployment.id() + ": ignoring invalid model_info price: "
                    + String.join("; ", override.problems()));
        }
        if (overrides.size() < MAX_CACHED_DEPLOYMENTS || overrides.containsKey(deployment.id())) {
            overrides.put(deployment.id(), new ParsedInfo(modelInfo, override));
        }
        return override;
    }

    /** A deployment's {@code model_info} (compared by identity) and what it says about prices. */
    private record ParsedInfo(Map<String, Object> modelInfo, PriceOverride override) {
    }
}
