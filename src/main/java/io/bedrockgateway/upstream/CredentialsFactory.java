package io.bedrockgateway.upstream;

/**
 * Turns a {@link CredentialsSpec} into a {@link CredentialsSource}. Implementations must not call AWS (nor read
 * profile files) while creating a source: that happens on the first {@link CredentialsSource#resolve()}. The config
 * loader calls this once per distinct spec, so equal specs share one source and one cache.
 *
 * <p>Implementations are thread-safe. {@link CredentialsSources#sdk()} is the production implementation; tests pass
 * fakes.
 */
@FunctionalInterface
public interface CredentialsFactory {

    CredentialsSource create(CredentialsSpec spec);
}
