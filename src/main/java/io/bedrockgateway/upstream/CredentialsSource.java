package io.bedrockgateway.upstream;

import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.util.concurrent.CompletableFuture;

/**
 * Supplies AWS credentials for signing without ever blocking the caller.
 *
 * <p>Contract: {@link #resolve()} returns an already-completed future while cached credentials are valid. When
 * they are missing or about to expire it starts at most one refresh (single flight: concurrent callers share the
 * same future) on a dedicated executor, never on the calling container or reactor thread. A failed refresh
 * completes the future exceptionally with a message safe to show to clients (no secrets).
 *
 * <p>Implementations are thread-safe.
 */
public interface CredentialsSource {

    CompletableFuture<AwsCredentialsIdentity> resolve();

    /** A short description for logs and health output, e.g. {@code static:AKIA...XYZ}, {@code assume-role:arn}. */
    String describe();
}
