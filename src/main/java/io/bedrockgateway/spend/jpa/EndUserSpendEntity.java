package io.bedrockgateway.spend.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** A row of {@code end_user_spend}; written only by an upsert statement. Internal; not thread-safe. */
@Entity(name = "EndUserSpendRow")
@Table(name = "end_user_spend")
public class EndUserSpendEntity {
    @Id
    @Column(name = "end_user")
    String endUser;
    @Column(name = "spend")
    BigDecimal spend;
    @Column(name = "created_at")
    OffsetDateTime createdAt;
    @Column(name = "updated_at")
    OffsetDateTime updatedAt;

    protected EndUserSpendEntity() {
    }
}
