package io.bedrockgateway.upstream;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Factories for {@link CredentialsSource}s. {@link #sdk()} maps each {@link CredentialsSpec} onto the AWS SDK v2
 * providers and STS, built lazily on the first refresh (never while the configuration is loaded) and cached by
 * {@link CachingCredentialsSource}.
 *
 * <p>Stateless and thread-safe.
 */
public final class CredentialsSources {

    private CredentialsSources() {
    }

    /** The production factory. Sources it creates for STS own an STS client, closed by their {@code close()}. */
    public static CredentialsFactory sdk() {
        return CredentialsSources::create;
    }

    /** A source that always returns {@code identity} (static keys: nothing to refresh, nothing to block on). */
    public static CredentialsSource fixed(AwsCredentialsIdentity identity, String description) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(description, "description");
        CompletableFuture<AwsCredentialsIdentity> done = CompletableFuture.completedFuture(identity);
        return new CredentialsSource() {
            @Override
            public CompletableFuture<AwsCredentialsIdentity> resolve() {
                return done.copy(); // a caller's cancel() or complete() must not reach other callers
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public String toString() {
                return "FixedCredentialsSource[" + description + "]";
            }
        };
    }

    /** An access key id shortened for logs: {@code AKIA…WXYZ}. */
    public static String maskKeyId(String accessKeyId) {
        if (accessKeyId == null || accessKeyId.length() < 12) {
            return "****";
        }
        return accessKeyId.substring(0, 4) + "..." + accessKeyId.substring(accessKeyId.length() - 4);
    }

    private static CredentialsSource create(CredentialsSpec spec) {
        if (spec instanceof CredentialsSpec.Static keys) {
            return fixed(identity(keys), "static:" + maskKeyId(keys.accessKeyId()));
        }
        if (spec instanceof CredentialsSpec.AssumeRole role) {
            StsCredentialsLoader loader = StsCredentialsLoader.assumeRole(role, () -> provider(role.base()));
            return loader.source("assume-role:" + role.roleArn());
        }
        if (spec instanceof CredentialsSpec.WebIdentity webIdentity) {
            StsCredentialsLoader loader = StsCredentialsLoader.webIdentity(webIdentity);
            return loader.source("web-identity:" + webIdentity.roleArn());
        }
        String description = spec instanceof CredentialsSpec.Profile profile
                ? "profile:" + profile.profileName() : "default-chain";
        LazyValue<AwsCredentialsProvider> provider = new LazyValue<>(() -> provider(spec));
        return new CachingCredentialsSource(description, () -> provider.get().resolveCredentials());
    }

    /** Builds an SDK provider; only called on a credentials thread (profile-backed providers read files). */
    static AwsCredentialsProvider provider(CredentialsSpec spec) {
        if (spec instanceof CredentialsSpec.Static keys) {
            return StaticCredentialsProvider.create(identity(keys));
        }
        if (spec instanceof CredentialsSpec.Profile profile) {
            return ProfileCredentialsProvider.builder().profileName(profile.profileName()).build();
        }
        if (spec instanceof CredentialsSpec.DefaultChain) {
            return DefaultCredentialsProvider.builder().build();
        }
        throw new IllegalArgumentException("not usable as base credentials: " + spec);
    }

    private static AwsBasicCredentials basic(CredentialsSpec.Static keys) {
        return AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey());
    }

    private static software.amazon.awssdk.auth.credentials.AwsCredentials identity(CredentialsSpec.Static keys) {
        return keys.sessionToken() == null ? basic(keys)
                : AwsSessionCredentials.create(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken());
    }
}
