package io.bedrockgateway.config;

import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.upstream.CredentialsSpec;
import io.bedrockgateway.upstream.UpstreamAuth;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigCredentialsTest extends ConfigLoaderTestSupport {
    private static final String ROLE = "arn:aws:iam::123456789012:role/bedrock-invoker";
    private static final Map<String, String> REGION = Map.of("AWS_REGION", "us-west-2");

    @Test
    void nothingConfiguredMeansTheDefaultChain() throws Exception {
        assertEquals(new CredentialsSpec.DefaultChain(), spec(deployment("{model: bedrock/m}").auth()));
    }

    @Test
    void staticKeysWithSessionToken() throws Exception {
        assertEquals(new CredentialsSpec.Static("AKID", "secret", "token"), spec(deployment(
                "{model: bedrock/m, aws_access_key_id: AKID, aws_secret_access_key: secret,"
                        + " aws_session_token: token}").auth()));
    }

    @Test
    void profile() throws Exception {
        assertEquals(new CredentialsSpec.Profile("dev"),
                spec(deployment("{model: bedrock/m, aws_profile_name: dev}").auth()));
    }

    @Test
    void bearerTokenWinsAndWarnsAboutIgnoredFields() throws Exception {
        List<LogRecord> logs = logsOf(() -> assertEquals(new UpstreamAuth.Bearer("ABSKbedrockkey"),
                deployment("{model: bedrock/m, aws_bearer_token: ABSKbedrockkey, aws_profile_name: dev}").auth()));
        assertTrue(logs.stream().anyMatch(r -> r.getMessage().equals(
                "model_list[0] (a): litellm_params.aws_profile_name is ignored (aws_bearer_token)")));
        assertTrue(created.isEmpty() || created.equals(List.of(new CredentialsSpec.DefaultChain())));
    }

    @Test
    void assumeRoleOnStaticKeysInTheDeploymentRegion() throws Exception {
        Deployment deployment = deployment("{model: bedrock/m, aws_region_name: eu-west-1,"
                + " aws_access_key_id: AKID, aws_secret_access_key: secret, aws_role_name: '" + ROLE + "',"
                + " aws_session_name: my-session, aws_external_id: ext}");
        assertEquals(new CredentialsSpec.AssumeRole(ROLE, "my-session", "ext",
                new CredentialsSpec.Static("AKID", "secret", null), "eu-west-1", null), spec(deployment.auth()));
    }

    @Test
    void assumeRoleOnProfileOrDefaultChain() throws Exception {
        assertEquals(new CredentialsSpec.AssumeRole(ROLE, AuthParser.DEFAULT_SESSION_NAME, null,
                        new CredentialsSpec.Profile("base"), "us-west-2", null),
                spec(deployment("{model: bedrock/m, aws_profile_name: base, aws_role_name: '" + ROLE + "'}").auth()));
        assertEquals(new CredentialsSpec.AssumeRole(ROLE, AuthParser.DEFAULT_SESSION_NAME, null,
                        new CredentialsSpec.DefaultChain(), "us-west-2", null),
                spec(deployment("{model: bedrock/m, aws_role_name: '" + ROLE + "'}").auth()));
    }

    @Test
    void stsEndpointPrecedence() throws Exception {
        String yaml = "{model: bedrock/m, aws_role_name: '" + ROLE + "'%s}";
        Map<String, String> env = Map.of("AWS_REGION", "us-west-2", "AWS_ENDPOINT_URL_STS", "http://sts.local:1",
                "AWS_ENDPOINT_URL", "http://all.local:2");
        assertEquals(URI.create("https://sts.vpce.example"), stsEndpoint(load(config(yaml.formatted(
                ", aws_sts_endpoint: 'https://sts.vpce.example'")), env)));
        assertEquals(URI.create("http://sts.local:1"), stsEndpoint(load(config(yaml.formatted("")), env)));
        assertEquals(URI.create("http://all.local:2"), stsEndpoint(load(config(yaml.formatted("")),
                Map.of("AWS_REGION", "us-west-2", "AWS_ENDPOINT_URL", "http://all.local:2"))));
    }

    @Test
    void webIdentityWithLiteralTokenFromEnvironment() throws Exception {
        GatewayConfig config = load(config("{model: bedrock/m, aws_role_name: '" + ROLE + "',"
                + " aws_web_identity_token: os.environ/OIDC_TOKEN, aws_session_name: web}"),
                Map.of("AWS_REGION", "us-west-2", "OIDC_TOKEN", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"));
        assertEquals(new CredentialsSpec.WebIdentity(ROLE, "web", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", null,
                "us-west-2", null), spec(config.routes().candidates("a").get(0).auth()));
        assertFalse(spec(config.routes().candidates("a").get(0).auth()).toString().contains("eyJ"));
    }

    @Test
    void webIdentityWithTokenFile() throws Exception {
        Path token = dir.resolve("token.jwt");
        Files.writeString(token, "jwt");
        GatewayConfig config = load(config("{model: bedrock/m, aws_role_name: '" + ROLE + "',"
                + " aws_web_identity_token: os.environ/AWS_WEB_IDENTITY_TOKEN_FILE}"),
                Map.of("AWS_REGION", "us-west-2", "AWS_WEB_IDENTITY_TOKEN_FILE", token.toString()));
        assertEquals(new CredentialsSpec.WebIdentity(ROLE, AuthParser.DEFAULT_SESSION_NAME, null, token,
                "us-west-2", null), spec(config.routes().candidates("a").get(0).auth()));
    }

    @Test
    void credentialErrors() throws Exception {
        assertFailure("model_list[0] (a): litellm_params.aws_access_key_id is missing (aws_secret_access_key is set)",
                config("{model: bedrock/m, aws_secret_access_key: s}"));
        assertFailure("model_list[0] (a): litellm_params.aws_session_token is set without aws_access_key_id and"
                + " aws_secret_access_key", config("{model: bedrock/m, aws_session_token: t}"));
        assertFailure("model_list[0] (a): litellm_params.aws_profile_name is set together with aws_access_key_id;"
                + " use one or the other",
                config("{model: bedrock/m, aws_access_key_id: k, aws_secret_access_key: s, aws_profile_name: p}"));
        assertFailure("model_list[0] (a): litellm_params.aws_role_name is missing (aws_web_identity_token needs the"
                + " role to assume)", config("{model: bedrock/m, aws_web_identity_token: abc}"));
        assertFailure("model_list[0] (a): litellm_params.aws_role_name 'bedrock-role' must be an IAM role ARN"
                + " (arn:aws:iam::<account>:role/<name>)", config("{model: bedrock/m, aws_role_name: bedrock-role}"));
        assertFailure("model_list[0] (a): litellm_params.aws_session_name 'has space' must be 2 to 64 characters of"
                + " letters, digits and +=,.@_-",
                config("{model: bedrock/m, aws_role_name: '" + ROLE + "', aws_session_name: 'has space'}"));
        assertFailure("model_list[0] (a): litellm_params.aws_web_identity_token: token file /no/such/token does not"
                + " exist or is not readable",
                config("{model: bedrock/m, aws_role_name: '" + ROLE + "', aws_web_identity_token: /no/such/token}"));
        assertFailure("model_list[0] (a): litellm_params.aws_sts_endpoint 'sts' must be an http:// or https:// URL",
                config("{model: bedrock/m, aws_role_name: '" + ROLE + "', aws_sts_endpoint: sts}"));
    }

    @Test
    void roleFieldsWithoutRoleAreIgnoredWithAWarning() throws Exception {
        List<LogRecord> logs = logsOf(() -> assertEquals(new CredentialsSpec.DefaultChain(),
                spec(deployment("{model: bedrock/m, aws_session_name: s1}").auth())));
        assertTrue(logs.stream().anyMatch(r -> r.getMessage().equals(
                "model_list[0] (a): litellm_params.aws_session_name is ignored (no aws_role_name)")));
    }

    private Deployment deployment(String litellmParams) throws Exception {
        return load(config(litellmParams), REGION).routes().candidates("a").get(0);
    }

    private static URI stsEndpoint(GatewayConfig config) {
        return ((CredentialsSpec.AssumeRole) spec(config.routes().candidates("a").get(0).auth())).stsEndpoint();
    }

    private static String config(String litellmParams) {
        return "model_list:\n  - model_name: a\n    litellm_params: " + litellmParams + "\n";
    }
}
