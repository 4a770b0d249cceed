package io.bedrockgateway.config;

import io.bedrockgateway.upstream.CredentialsFactory;
import io.bedrockgateway.upstream.CredentialsSpec;
import io.bedrockgateway.upstream.UpstreamAuth;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Reads the credential fields of {@code litellm_params} into an {@link UpstreamAuth}. Precedence:
 * {@code aws_bearer_token}; then {@code aws_web_identity_token} (with {@code aws_role_name}); then
 * {@code aws_role_name} (AssumeRole on top of the keys, the profile or the default chain); then a static key pair;
 * then {@code aws_profile_name}; otherwise the AWS default chain. Equal specs share one credentials source, so the
 * default chain is resolved and cached once for every deployment that uses it.
 *
 * <p>Not thread-safe; used by one loading thread.
 */
final class AuthParser {
    static final String DEFAULT_SESSION_NAME = "bedrock-gateway";
    static final List<String> KEYS = List.of("aws_bearer_token", "aws_access_key_id", "aws_secret_access_key",
            "aws_session_token", "aws_profile_name", "aws_role_name", "aws_session_name", "aws_external_id",
            "aws_web_identity_token", "aws_sts_endpoint");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Logger LOG = Logger.getLogger(AuthParser.class.getName());

    private final CredentialsFactory factory;
    private final EndpointDefaults endpoints;
    private final Map<CredentialsSpec, UpstreamAuth> bySpec = new HashMap<>();

    AuthParser(CredentialsFactory factory, EndpointDefaults endpoints) {
        this.factory = factory;
        this.endpoints = endpoints;
    }

    /** The one shared auth for a spec (the default chain for pass-through and the default deployment). */
    UpstreamAuth auth(CredentialsSpec spec) {
        return bySpec.computeIfAbsent(spec, s -> new UpstreamAuth.SigV4(factory.create(s)));
    }

    /** The auth of one deployment in {@code region}. */
    UpstreamAuth parse(ConfigFields params, String region) throws ConfigException {
        String bearer = params.secret("aws_bearer_token");
        if (bearer != null) {
            warnIgnored(params, "aws_bearer_token", KEYS.subList(1, KEYS.size()));
            return new UpstreamAuth.Bearer(bearer);
        }
        CredentialsSpec base = base(params);
        String role = params.string("aws_role_name");
        String webToken = params.secret("aws_web_identity_token");
        if (webToken == null && role == null) {
            warnIgnored(params, "no aws_role_name", List.of("aws_session_name", "aws_external_id",
                    "aws_sts_endpoint"));
            return auth(base);
        }
        if (role == null) {
            throw params.error("aws_role_name", " is missing (aws_web_identity_token needs the role to assume)");
        }
        if (!role.startsWith("arn:")) {
            throw params.error("aws_role_name", " '" + role + "' must be an IAM role ARN"
                    + " (arn:aws:iam::<account>:role/<name>)");
        }
        String sessionName = sessionName(params);
        URI sts = stsEndpoint(params);
        if (webToken != null) {
            warnIgnored(params, "aws_web_identity_token", List.of("aws_access_key_id", "aws_secret_access_key",
                    "aws_session_token", "aws_profile_name", "aws_external_id"));
            Path tokenFile = tokenFile(params, webToken);
            return auth(new CredentialsSpec.WebIdentity(role, sessionName, tokenFile == null ? webToken : null,
                    tokenFile, region, sts));
        }
        return auth(new CredentialsSpec.AssumeRole(role, sessionName, params.secret("aws_external_id"), base,
                region, sts));
    }

    private static CredentialsSpec base(ConfigFields params) throws ConfigException {
        String keyId = params.secret("aws_access_key_id");
        String secretKey = params.secret("aws_secret_access_key");
        String sessionToken = params.secret("aws_session_token");
        String profile = params.string("aws_profile_name");
        if (keyId != null && secretKey == null) {
            throw params.error("aws_secret_access_key", " is missing (aws_access_key_id is set)");
        }
        if (secretKey != null && keyId == null) {
            throw params.error("aws_access_key_id", " is missing (aws_secret_access_key is set)");
        }
        if (sessionToken != null && keyId == null) {
            throw params.error("aws_session_token", " is set without aws_access_key_id and aws_secret_access_key");
        }
        if (keyId != null && profile != null) {
            throw params.error("aws_profile_name", " is set together with aws_access_key_id; use one or the other");
        }
        if (keyId != null) {
            return new CredentialsSpec.Static(keyId, secretKey, sessionToken);
        }
        return profile != null ? new CredentialsSpec.Profile(profile) : new CredentialsSpec.DefaultChain();
    }

    private static String sessionName(ConfigFields params) throws ConfigException {
        String sessionName = params.string("aws_session_name");
        if (sessionName == null) {
            return DEFAULT_SESSION_NAME;
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw params.error("aws_session_name", " '" + sessionName + "' must be 2 to 64 characters of"
                    + " letters, digits and +=,.@_-");
        }
        return sessionName;
    }

    private URI stsEndpoint(ConfigFields params) throws ConfigException {
        String value = params.string("aws_sts_endpoint");
        return value == null ? endpoints.sts()
                : EndpointDefaults.parseEndpoint(value, params.field("aws_sts_endpoint"));
    }

    /**
     * A web identity token is either the JWT itself or the path of a file holding it (as with
     * {@code AWS_WEB_IDENTITY_TOKEN_FILE}); a JWT is base64url and never contains a slash, a path does.
     */
    private static Path tokenFile(ConfigFields params, String value) throws ConfigException {
        if (!value.contains("/") && !value.contains("\\")) {
            return null;
        }
        Path path = value.startsWith("~/") ? Path.of(System.getProperty("user.home"), value.substring(2))
                : Path.of(value);
        if (!Files.isReadable(path)) {
            throw params.error("aws_web_identity_token", ": token file " + path + " does not exist or is not"
                    + " readable");
        }
        return path;
    }

    private static void warnIgnored(ConfigFields params, String because, List<String> keys) {
        for (String key : keys) {
            if (params.has(key)) {
                LOG.warning(params.field(key) + " is ignored (" + because + ")");
            }
        }
    }
}
