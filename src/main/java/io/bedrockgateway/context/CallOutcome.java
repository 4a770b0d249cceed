package io.bedrockgateway.context;

import io.bedrockgateway.spend.Usage;

/**
 * How one call ended, as the gateway saw it. Immutable and thread-safe.
 *
 * @param status        HTTP status sent to the client (the upstream's, relayed, or the gateway's own)
 * @param usage         token usage read from the response (what was seen, for an interrupted stream)
 * @param streamed      whether the response was an event stream
 * @param ttfbNanos     time from the request's arrival to the first response byte written, or -1
 * @param endNanos      {@code System.nanoTime()} when the call ended
 * @param invokedModel  for agent calls, the foundation model their trace named, or {@code null}
 */
public record CallOutcome(int status, Usage usage, boolean streamed, long ttfbNanos, long endNanos,
                          String invokedModel) {
    public CallOutcome {
        usage = usage == null ? Usage.NONE : usage;
    }

    /** A call that ended before any upstream exchange (a gateway error in a filter, for example). */
    public static CallOutcome early(int status) {
        return new CallOutcome(status, Usage.NONE, false, -1, System.nanoTime(), null);
    }
}
