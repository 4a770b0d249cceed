package io.bedrockgateway.routing;

import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Where one call goes, attempt after attempt. The first attempt goes to a deployment of the alias the client named;
 * after a retryable failure the next one goes to another deployment of the same alias (at most
 * {@code num_retries} more), then to the deployments of its {@code fallbacks}, alias after alias, each with the
 * same retry allowance. A deployment is never tried twice in one call, a cooling one is skipped, and a fallback
 * deployment must be allowed to the caller. Raw model ids and model-less operations have exactly one deployment. Within the eligible deployments the routing strategy picks, or the
 * sticky value when {@code sticky_by} gave one.
 *
 * <p>The call keeps the route table it arrived with, so a reload never changes a call half-way.
 *
 * <p>Thread-safety: the attempts of one call run one after the other, on different threads; methods are
 * synchronized so that each sees the previous one's state.
 */
public final class RouteSelection {
    private final RouteTable table;
    private final RoutingStrategy strategy;
    private final DeploymentHealth health;
    private final LongSupplier clockMillis;
    private final BedrockOperation operation;
    private final String rawQuery;
    private final String stickyValue;
    private final Predicate<Deployment> permittedFallback;
    /** The alias the client named, then its fallbacks; empty for raw model ids and model-less operations. */
    private final List<String> aliases;
    private final boolean mayCoolDown;
    private final List<String> tried = new ArrayList<>(2);
    private int aliasIndex;
    private int attemptsOnAlias;
    private int attempts;

    RouteSelection(RouteTable table, RoutingStrategy strategy, DeploymentHealth health, LongSupplier clockMillis,
                   BedrockOperation operation, String rawQuery, String stickyValue,
                   Predicate<Deployment> permittedFallback) {
        this.table = table;
        this.strategy = strategy;
        this.health = health;
        this.clockMillis = clockMillis;
        this.operation = operation;
        this.rawQuery = rawQuery;
        this.stickyValue = stickyValue;
        this.permittedFallback = permittedFallback;
        List<String> chain = new ArrayList<>();
        if (operation.modelScoped() && table.isAlias(operation.modelId())) {
            chain.add(operation.modelId());
            chain.addAll(table.settings().fallbacksOf(operation.modelId()));
        }
        this.aliases = List.copyOf(chain);
        int deployments = 0;
        for (String alias : aliases) {
            deployments += table.candidates(alias).size();
        }
        this.mayCoolDown = deployments > 1;
    }

    /**
     * The first attempt's route.
     *
     * @throws GatewayException 404 for a model the gateway does not route; 503 when every deployment that could
     *                          serve the call is cooling down
     */
    public synchronized RouteDecision first() {
        if (!operation.modelScoped()) {
            return take(List.of(table.defaultDeployment()));
        }
        if (aliases.isEmpty()) {
            List<Deployment> candidates = table.candidates(operation.modelId());
            if (candidates.isEmpty()) {
                throw new GatewayException(GatewayError.RESOURCE_NOT_FOUND,
                        "Model '" + operation.modelId() + "' is not configured on this gateway");
            }
            return take(candidates);
        }
        for (aliasIndex = 0; aliasIndex < aliases.size(); aliasIndex++) {
            List<Deployment> eligible = eligible(aliasIndex);
            if (!eligible.isEmpty()) {
                return take(eligible);
            }
        }
        throw allCoolingDown();
    }

    /**
     * The route of the next attempt after a retryable failure of the current one, or {@code null} when the call
     * has no deployment left to try.
     */
    public synchronized RouteDecision next() {
        while (aliasIndex < aliases.size()) {
            if (attemptsOnAlias <= table.settings().numRetries()) {
                List<Deployment> eligible = eligible(aliasIndex);
                if (!eligible.isEmpty()) {
                    return take(eligible);
                }
            }
            aliasIndex++;
            attemptsOnAlias = 0;
        }
        return null;
    }

    /** Attempts made so far, the first included. */
    public synchronized int attempts() {
        return attempts;
    }

    /**
     * Whether this call's deployments may cool down: only where there is another to go to (an alias with several
     * deployments, or with fallbacks). The only deployment of a route never cools down: skipping it would turn
     * every throttle into an outage, so its errors reach the client as they are (with any {@code Retry-After}).
     */
    public boolean deploymentsMayCoolDown() {
        return mayCoolDown;
    }

    /** The retry, cooldown and fallback settings this call routes with. */
    public RouterSettings settings() {
        return table.settings();
    }

    private List<Deployment> eligible(int index) {
        long now = clockMillis.getAsLong();
        List<Deployment> candidates = table.candidates(aliases.get(index));
        List<Deployment> eligible = null; // allocated only once one candidate is out: the common case allocates nothing
        for (int i = 0; i < candidates.size(); i++) {
            Deployment deployment = candidates.get(i);
            boolean ok = !tried.contains(deployment.id()) && !(mayCoolDown && health.of(deployment).coolingDown(now))
                    && (index == 0 || permittedFallback.test(deployment));
            if (!ok && eligible == null) {
                eligible = new ArrayList<>(candidates.subList(0, i));
            } else if (ok && eligible != null) {
                eligible.add(deployment);
            }
        }
        return eligible == null ? candidates : eligible;
    }

    private RouteDecision take(List<Deployment> candidates) {
        Deployment deployment;
        if (candidates.size() == 1) {
            deployment = candidates.get(0);
        } else if (stickyValue != null) {
            deployment = StickyChoice.pick(stickyValue, candidates);
        } else {
            deployment = strategy.select(candidates, operation.streaming());
        }
        tried.add(deployment.id());
        attempts++;
        attemptsOnAlias++;
        String upstreamPath = operation.upstreamPath(operation.modelScoped() ? deployment.upstreamModelId() : null);
        return new RouteDecision(deployment, deployment.endpoint(operation.service()), upstreamPath, rawQuery);
    }

    /** Every deployment the call could have used is cooling (fallbacks the caller may not use do not count). */
    private GatewayException allCoolingDown() {
        List<Deployment> all = new ArrayList<>(table.candidates(aliases.get(0)));
        boolean fallbacks = false;
        for (int i = 1; i < aliases.size(); i++) {
            for (Deployment deployment : table.candidates(aliases.get(i))) {
                if (permittedFallback.test(deployment)) {
                    all.add(deployment);
                    fallbacks = true;
                }
            }
        }
        return coolingDown(all, "'" + aliases.get(0) + "'" + (fallbacks ? " and its fallbacks" : ""));
    }

    private GatewayException coolingDown(List<Deployment> deployments, String what) {
        long now = clockMillis.getAsLong();
        long soonest = Long.MAX_VALUE;
        for (Deployment deployment : deployments) {
            soonest = Math.min(soonest, health.of(deployment).coolingUntilMillis());
        }
        long seconds = Math.max(1, (soonest - now + 999) / 1000);
        String subject = deployments.size() == 1 ? "The deployment of " + what + " is"
                : "All " + deployments.size() + " deployments of " + what + " are";
        return new GatewayException(GatewayError.SERVICE_UNAVAILABLE, subject
                + " cooling down after repeated upstream failures; the first is tried again in " + seconds
                + "s", seconds);
    }
}
