package io.bedrockgateway.admin;

import java.beans.ConstructorProperties;

/**
 * One deployment as JMX shows it (an MXBean composite: getters only). Immutable and thread-safe.
 */
public final class DeploymentView {
    private final String alias;
    private final String deployment;
    private final String model;
    private final String region;
    private final String state;
    private final int inFlight;
    private final double latencyMillis;
    private final double ttfbMillis;
    private final long completed;
    private final long failed;
    private final String lastError;
    private final long cooldowns;
    private final double coolingDownForSeconds;

    @ConstructorProperties({"alias", "deployment", "model", "region", "state", "inFlight", "latencyMillis",
            "ttfbMillis", "completed", "failed", "lastError", "cooldowns", "coolingDownForSeconds"})
    public DeploymentView(String alias, String deployment, String model, String region, String state, int inFlight,
                          double latencyMillis, double ttfbMillis, long completed, long failed, String lastError,
                          long cooldowns, double coolingDownForSeconds) {
        this.alias = alias;
        this.deployment = deployment;
        this.model = model;
        this.region = region;
        this.state = state;
        this.inFlight = inFlight;
        this.latencyMillis = latencyMillis;
        this.ttfbMillis = ttfbMillis;
        this.completed = completed;
        this.failed = failed;
        this.lastError = lastError;
        this.cooldowns = cooldowns;
        this.coolingDownForSeconds = coolingDownForSeconds;
    }

    public String getAlias() {
        return alias;
    }

    public String getDeployment() {
        return deployment;
    }

    public String getModel() {
        return model;
    }

    public String getRegion() {
        return region;
    }

    /** {@code healthy} or {@code cooling_down}. */
    public String getState() {
        return state;
    }

    public int getInFlight() {
        return inFlight;
    }

    /** Recent latency, or -1 before the first successful call. */
    public double getLatencyMillis() {
        return latencyMillis;
    }

    /** Recent time to first byte, or -1 before the first successful call. */
    public double getTtfbMillis() {
        return ttfbMillis;
    }

    public long getCompleted() {
        return completed;
    }

    public long getFailed() {
        return failed;
    }

    public String getLastError() {
        return lastError;
    }

    public long getCooldowns() {
        return cooldowns;
    }

    /** Seconds left in the current cooldown, 0 when healthy. */
    public double getCoolingDownForSeconds() {
        return coolingDownForSeconds;
    }
}
