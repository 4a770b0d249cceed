package io.bedrockgateway.keys;

import io.bedrockgateway.context.CallOutcome;
import io.bedrockgateway.context.GatewayExchange;

/** Told once about the end of every call (settles its admission, prices it, logs its spend). Thread-safe. */
@FunctionalInterface
public interface CallAccounting {
    void callEnded(GatewayExchange exchange, CallOutcome outcome);
}
