package io.bedrockgateway.keys.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/**
 * A row of {@code removed_keys}: a hash that was deleted or regenerated away, so that other gateway instances drop
 * it from their caches. Internal to the repository; not thread-safe.
 */
@Entity(name = "RemovedKeyRow")
@Table(name = "removed_keys")
public class KeyTombstoneEntity {
    @Id
    @Column(name = "token_hash")
    String tokenHash;
    @Column(name = "removed_at")
    OffsetDateTime removedAt;

    protected KeyTombstoneEntity() {
    }

    KeyTombstoneEntity(String tokenHash, OffsetDateTime removedAt) {
        this.tokenHash = tokenHash;
        this.removedAt = removedAt;
    }
}
