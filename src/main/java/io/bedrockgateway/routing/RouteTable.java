package io.bedrockgateway.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Model aliases and their deployments, plus the default deployment used for raw model ids (pass-through) and for
 * operations that name no model (agents, knowledge bases, guardrails, async-invoke queries).
 *
 * <p>Immutable once built, hence thread-safe; a config reload builds a new table.
 */
public final class RouteTable {
    private final Map<String, List<Deployment>> byAlias;
    private final Deployment defaultDeployment;
    private final boolean passThroughUnknownModels;
    private final Function<String, Deployment> passThroughFactory;
    private final RouterSettings settings;

    /** A table with the default {@link RouterSettings}. */
    public RouteTable(Map<String, List<Deployment>> byAlias, Deployment defaultDeployment,
                      boolean passThroughUnknownModels, Function<String, Deployment> passThroughFactory) {
        this(byAlias, defaultDeployment, passThroughUnknownModels, passThroughFactory, RouterSettings.DEFAULTS);
    }

    /**
     * @param byAlias                  alias to its deployments (each list non-empty), in config order
     * @param defaultDeployment        deployment for operations without a model
     * @param passThroughUnknownModels whether a model id that is no alias is sent upstream as-is
     * @param passThroughFactory       builds the deployment for a raw model id (default credentials and region)
     * @param settings                 retries, cooldown, fallbacks and stickiness; every fallback names an alias
     */
    public RouteTable(Map<String, List<Deployment>> byAlias, Deployment defaultDeployment,
                      boolean passThroughUnknownModels, Function<String, Deployment> passThroughFactory,
                      RouterSettings settings) {
        Map<String, List<Deployment>> copy = new LinkedHashMap<>();
        byAlias.forEach((alias, list) -> {
            if (list.isEmpty()) {
                throw new IllegalArgumentException("alias without deployments: " + alias);
            }
            copy.put(alias, List.copyOf(list));
        });
        this.byAlias = java.util.Collections.unmodifiableMap(copy);
        this.defaultDeployment = Objects.requireNonNull(defaultDeployment, "defaultDeployment");
        this.passThroughUnknownModels = passThroughUnknownModels;
        this.passThroughFactory = Objects.requireNonNull(passThroughFactory, "passThroughFactory");
        this.settings = Objects.requireNonNull(settings, "settings");
        settings.fallbacks().forEach((alias, targets) -> {
            for (String target : targets) {
                if (!copy.containsKey(alias) || !copy.containsKey(target)) {
                    throw new IllegalArgumentException("fallback " + alias + " -> " + target + " names no alias");
                }
            }
        });
    }

    /** Retries, cooldown, fallbacks and stickiness that go with these routes. */
    public RouterSettings settings() {
        return settings;
    }

    /**
     * The deployments that may serve {@code modelId}: the alias's deployments when it is an alias, one
     * pass-through deployment for a raw id when pass-through is on, otherwise an empty list.
     */
    public List<Deployment> candidates(String modelId) {
        List<Deployment> deployments = byAlias.get(modelId);
        if (deployments != null) {
            return deployments;
        }
        return passThroughUnknownModels ? List.of(passThroughFactory.apply(modelId)) : List.of();
    }

    /** Whether {@code modelId} is a configured alias. */
    public boolean isAlias(String modelId) {
        return byAlias.containsKey(modelId);
    }

    public Deployment defaultDeployment() {
        return defaultDeployment;
    }

    public boolean passThroughUnknownModels() {
        return passThroughUnknownModels;
    }

    /** Aliases in config order. */
    public Set<String> aliases() {
        return byAlias.keySet();
    }

    /** Every configured deployment of every alias, in config order. */
    public Map<String, List<Deployment>> deploymentsByAlias() {
        return byAlias;
    }
}
