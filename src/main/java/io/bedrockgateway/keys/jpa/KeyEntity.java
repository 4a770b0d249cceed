package io.bedrockgateway.keys.jpa;

import io.bedrockgateway.keys.BudgetDuration;
import io.bedrockgateway.keys.VirtualKey;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * A row of {@code virtual_keys}. Internal to the repository: it never leaves a transaction; callers get
 * {@link io.bedrockgateway.keys.VirtualKey} records. Not thread-safe (one entity manager at a time).
 */
@Entity(name = "VirtualKeyRow")
@Table(name = "virtual_keys")
public class KeyEntity {
    @Id
    @Column(name = "token_hash")
    String tokenHash;
    @Column(name = "key_name")
    String keyName;
    @Column(name = "key_alias")
    String keyAlias;
    /** JSON array. */
    @Column(name = "models")
    String models;
    @Column(name = "max_budget")
    BigDecimal maxBudget;
    @Column(name = "budget_duration")
    String budgetDuration;
    @Column(name = "budget_reset_at")
    OffsetDateTime budgetResetAt;
    @Column(name = "soft_budget")
    BigDecimal softBudget;
    @Column(name = "rpm_limit")
    Long rpmLimit;
    @Column(name = "tpm_limit")
    Long tpmLimit;
    @Column(name = "max_parallel_requests")
    Integer maxParallelRequests;
    @Column(name = "expires_at")
    OffsetDateTime expiresAt;
    @Column(name = "user_id")
    String userId;
    @Column(name = "team_id")
    String teamId;
    /** JSON object. */
    @Column(name = "metadata")
    String metadata;
    @Column(name = "blocked")
    boolean blocked;
    @Column(name = "spend")
    BigDecimal spend;
    @Column(name = "created_at")
    OffsetDateTime createdAt;
    @Column(name = "updated_at")
    OffsetDateTime updatedAt;
    @Column(name = "changed_at")
    OffsetDateTime changedAt;

    protected KeyEntity() {
    }

    /**
     * A new row for {@code key}: missing creation and update times become {@code now}, and a budget period without
     * a reset time starts now.
     */
    static KeyEntity forInsert(VirtualKey key, Instant now) {
        KeyEntity e = new KeyEntity();
        e.tokenHash = key.tokenHash();
        e.keyName = key.keyName();
        e.spend = key.spend();
        e.createdAt = Times.column(key.createdAt() == null ? now : key.createdAt());
        e.applySettings(key, now);
        e.changedAt = Times.column(now);
        return e;
    }

    /** Copies every setting of {@code key}: all but the hash, name, spend and creation time. */
    void applySettings(VirtualKey key, Instant now) {
        keyAlias = key.keyAlias();
        models = Json.write(key.models());
        maxBudget = key.maxBudget();
        budgetDuration = key.budgetDuration();
        Instant resetAt = key.budgetResetAt();
        if (resetAt == null && budgetDuration != null) {
            resetAt = BudgetDuration.nextReset(now, budgetDuration);
        }
        budgetResetAt = Times.column(resetAt);
        softBudget = key.softBudget();
        rpmLimit = key.rpmLimit();
        tpmLimit = key.tpmLimit();
        maxParallelRequests = key.maxParallelRequests();
        expiresAt = Times.column(key.expiresAt());
        userId = key.userId();
        teamId = key.teamId();
        metadata = Json.write(key.metadata());
        blocked = key.blocked();
        updatedAt = Times.column(key.updatedAt() == null ? now : key.updatedAt());
        changedAt = Times.column(now);
    }

    VirtualKey toRecord() {
        return new VirtualKey(tokenHash, keyName, keyAlias, Json.readStrings(models), Money.normalize(maxBudget),
                budgetDuration, Times.instant(budgetResetAt), Money.normalize(softBudget), rpmLimit, tpmLimit,
                maxParallelRequests, Times.instant(expiresAt), userId, teamId, Json.readObject(metadata), blocked,
                Money.normalize(spend), Times.instant(createdAt), Times.instant(updatedAt));
    }
}
