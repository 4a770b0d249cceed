package io.bedrockgateway.upstream;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What credentials one deployment asks for, as configured; turning a spec into a {@link CredentialsSource} is the
 * job of a {@link CredentialsFactory}. Specs are plain values (equal specs may share one source); building one never
 * calls AWS. {@code toString()} never shows a secret.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface CredentialsSpec {

    /** The AWS default chain: environment, system properties, profile, web identity, container, instance. */
    record DefaultChain() implements CredentialsSpec {
    }

    /** A fixed key pair, with a session token for temporary keys ({@code null} otherwise). */
    record Static(String accessKeyId, String secretAccessKey, String sessionToken) implements CredentialsSpec {
        public Static {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "Static[" + CredentialsSources.maskKeyId(accessKeyId) + "]";
        }
    }

    /** A named profile of the shared AWS config and credentials files. */
    record Profile(String profileName) implements CredentialsSpec {
        public Profile {
            Objects.requireNonNull(profileName, "profileName");
        }
    }

    /**
     * STS AssumeRole on top of {@code base} credentials.
     *
     * @param stsEndpoint STS endpoint override, or {@code null} for the regional STS endpoint of {@code region}
     * @param externalId  the external id the role's trust policy demands, or {@code null}
     */
    record AssumeRole(String roleArn, String sessionName, String externalId, CredentialsSpec base, String region,
                      URI stsEndpoint) implements CredentialsSpec {
        public AssumeRole {
            Objects.requireNonNull(roleArn, "roleArn");
            Objects.requireNonNull(sessionName, "sessionName");
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(region, "region");
        }

        @Override
        public String toString() {
            return "AssumeRole[" + roleArn + ", session=" + sessionName + ", base=" + base + ", region=" + region
                    + (externalId == null ? "" : ", externalId=****") + "]";
        }
    }

    /**
     * STS AssumeRoleWithWebIdentity. Exactly one of {@code token} (the JWT itself) and {@code tokenFile} (read anew
     * at every refresh, since projected tokens rotate) is set.
     */
    record WebIdentity(String roleArn, String sessionName, String token, Path tokenFile, String region,
                       URI stsEndpoint) implements CredentialsSpec {
        public WebIdentity {
            Objects.requireNonNull(roleArn, "roleArn");
            Objects.requireNonNull(sessionName, "sessionName");
            Objects.requireNonNull(region, "region");
            if ((token == null) == (tokenFile == null)) {
                throw new IllegalArgumentException("exactly one of token and tokenFile is required");
            }
        }

        @Override
        public String toString() {
            return "WebIdentity[" + roleArn + ", session=" + sessionName + ", token="
                    + (tokenFile == null ? "****" : "file:" + tokenFile) + ", region=" + region + "]";
        }
    }
}
