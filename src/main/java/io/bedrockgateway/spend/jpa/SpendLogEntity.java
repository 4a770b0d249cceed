package io.bedrockgateway.spend.jpa;

import io.bedrockgateway.keys.jpa.Money;
import io.bedrockgateway.keys.jpa.Times;
import io.bedrockgateway.spend.SpendLog;
import io.bedrockgateway.spend.Usage;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A row of {@code spend_logs}, as read back. Internal to the repository: callers get {@link SpendLog} records; rows
 * are written by {@link SpendLogInserter}. Not thread-safe.
 */
@Entity(name = "SpendLogRow")
@Table(name = "spend_logs")
public class SpendLogEntity {
    @Id
    @Column(name = "request_id")
    String requestId;
    @Column(name = "key_hash")
    String keyHash;
    @Column(name = "key_alias")
    String keyAlias;
    @Column(name = "user_id")
    String userId;
    @Column(name = "team_id")
    String teamId;
    @Column(name = "end_user")
    String endUser;
    @Column(name = "model_alias")
    String modelAlias;
    @Column(name = "model_id")
    String modelId;
    @Column(name = "deployment")
    String deployment;
    @Column(name = "route")
    String route;
    @Column(name = "status")
    int status;
    @Column(name = "input_tokens")
    long inputTokens;
    @Column(name = "output_tokens")
    long outputTokens;
    @Column(name = "cache_read_tokens")
    long cacheReadTokens;
    @Column(name = "cache_write_tokens")
    long cacheWriteTokens;
    @Column(name = "cost")
    BigDecimal cost;
    @Column(name = "price_unknown")
    boolean priceUnknown;
    @Column(name = "start_time")
    OffsetDateTime startTime;
    @Column(name = "end_time")
    OffsetDateTime endTime;
    @Column(name = "latency_ms")
    long latencyMillis;
    @Column(name = "ttfb_ms")
    long ttfbMillis;
    @Column(name = "streamed")
    boolean streamed;

    protected SpendLogEntity() {
    }

    SpendLog toRecord() {
        return new SpendLog(requestId, keyHash, keyAlias, userId, teamId, endUser, modelAlias, modelId, deployment,
                route, status, new Usage(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens),
                Money.normalize(cost), priceUnknown, Times.instant(startTime), Times.instant(endTime), latencyMillis,
                ttfbMillis, streamed);
    }
}
