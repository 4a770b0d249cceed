package io.bedrockgateway.upstream;

import java.util.Objects;

/**
 * How the gateway authenticates itself to AWS for one deployment: SigV4 with credentials from a
 * {@link CredentialsSource}, or a Bedrock API key sent as a bearer token. Immutable and thread-safe.
 */
public sealed interface UpstreamAuth {

    /** SigV4 with the given credentials; the region comes from the deployment. */
    record SigV4(CredentialsSource credentials) implements UpstreamAuth {
        public SigV4 {
            Objects.requireNonNull(credentials, "credentials");
        }
    }

    /** A Bedrock API key ({@code aws_bearer_token}), sent as {@code Authorization: Bearer}. */
    record Bearer(String token) implements UpstreamAuth {
        public Bearer {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "Bearer[****]";
        }
    }
}
