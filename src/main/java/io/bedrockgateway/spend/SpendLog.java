package io.bedrockgateway.spend;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One row of the spend log: one gateway request. Immutable and thread-safe.
 *
 * @param requestId       the gateway's request id
 * @param keyHash         hash of the gateway key used, or {@code null}
 * @param keyAlias        the key's alias, or {@code null}
 * @param userId          the key's {@code user_id}, or {@code null}
 * @param teamId          the key's {@code team_id}, or {@code null}
 * @param endUser         the {@code x-end-user-id} header, or {@code null}
 * @param modelAlias      the model the client named (alias or raw id), or {@code null} for model-less operations
 * @param modelId         the model id or ARN sent upstream, or {@code null}
 * @param deployment      the deployment id
 * @param route           the AWS operation name, e.g. {@code ConverseStream}
 * @param status          the HTTP status sent to the client
 * @param usage           tokens
 * @param cost            USD
 * @param priceUnknown    no price was known for the model: {@code cost} is 0 but not "free"
 * @param startTime       when the request arrived
 * @param endTime         when the response ended
 * @param latencyMillis   end minus start
 * @param ttfbMillis      time to the first response byte, or -1
 * @param streamed        whether the response was an event stream
 */
public record SpendLog(String requestId, String keyHash, String keyAlias, String userId, String teamId,
                       String endUser, String modelAlias, String modelId, String deployment, String route,
                       int status, Usage usage, BigDecimal cost, boolean priceUnknown, Instant startTime,
                       Instant endTime, long latencyMillis, long ttfbMillis, boolean streamed) {
}
