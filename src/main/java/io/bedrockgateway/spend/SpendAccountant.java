package io.bedrockgateway.spend;

import io.bedrockgateway.auth.GatewayPrincipal;
import io.bedrockgateway.context.CallOutcome;
import io.bedrockgateway.context.GatewayExchange;
import io.bedrockgateway.keys.Admission;
import io.bedrockgateway.keys.CallAccounting;
import io.bedrockgateway.keys.Governor;
import io.bedrockgateway.keys.VirtualKey;
import io.bedrockgateway.routing.BedrockOperation;
import io.bedrockgateway.routing.Deployment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Accounts for each finished call: prices its usage, settles its admission with the governor and hands a spend log
 * row to the recorder. Runs on whichever thread ended the call; does no I/O. Thread-safe.
 */
public final class SpendAccountant implements CallAccounting {
    private final CostCalculator costs;
    private final Governor governor;
    private final SpendRecorder recorder;

    public SpendAccountant(CostCalculator costs, Governor governor, SpendRecorder recorder) {
        this.costs = costs;
        this.governor = governor;
        this.recorder = recorder;
    }

    @Override
    public void callEnded(GatewayExchange exchange, CallOutcome outcome) {
        Deployment deployment = exchange.route() == null ? null : exchange.route().deployment();
        BedrockOperation operation = exchange.operation();
        String pricedModel = outcome.invokedModel() != null ? outcome.invokedModel()
                : deployment == null ? null : deployment.upstreamModelId();
        CostCalculator.Cost cost = outcome.usage().isEmpty() || deployment == null
                ? new CostCalculator.Cost(BigDecimal.ZERO, false)
                : costs.cost(deployment, pricedModel, outcome.usage());
        if (exchange.admission() instanceof Admission admission) {
            governor.settle(admission, deployment, cost.usd(), outcome.usage());
        }
        GatewayPrincipal principal = exchange.principal();
        VirtualKey key = principal == null ? null : principal.virtualKey();
        long endMillis = exchange.startEpochMillis()
                + TimeUnit.NANOSECONDS.toMillis(outcome.endNanos() - exchange.startNanos());
        recorder.record(new SpendLog(exchange.requestId(),
                key != null ? key.tokenHash() : principal == null ? null : principal.keyId(),
                principal == null ? null : principal.keyAlias(),
                key == null ? null : key.userId(), key == null ? null : key.teamId(),
                exchange.endUser(),
                operation == null ? null : operation.modelScoped() ? operation.modelId() : null,
                pricedModel, deployment == null ? null : deployment.id(),
                operation == null ? null : operation.name(), outcome.status(), outcome.usage(), cost.usd(),
                cost.priceUnknown(), Instant.ofEpochMilli(exchange.startEpochMillis()), Instant.ofEpochMilli(endMillis),
                endMillis - exchange.startEpochMillis(),
                outcome.ttfbNanos() < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(outcome.ttfbNanos()),
                outcome.streamed()));
    }
}
