package io.bedrockgateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal is one line naming the entry and the field. */
class ConfigValidationTest extends ConfigLoaderTestSupport {

    @Test
    void missingRegion() throws Exception {
        assertEquals("model_list[2] (my-claude): litellm_params.aws_region_name is missing and AWS_REGION is not set"
                        + " (neither are AWS_REGION_NAME and AWS_DEFAULT_REGION)",
                failure("""
                        model_list:
                          - {model_name: a, litellm_params: {model: bedrock/m, aws_region_name: us-east-1}}
                          - {model_name: b, litellm_params: {model: bedrock/m, aws_region_name: us-east-1}}
                          - model_name: my-claude
                            litellm_params: {model: bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0}
                        """, Map.of()));
    }

    @Test
    void invalidRegions() throws Exception {
        assertFailure("model_list[0] (a): litellm_params.aws_region_name 'us_east_1' is not a valid AWS region name",
                entry("{model: bedrock/m, aws_region_name: us_east_1}"));
        assertEquals("environment variable AWS_REGION 'Frankfurt' is not a valid AWS region name",
                failure("model_list: []\n", Map.of("AWS_REGION", "Frankfurt")));
    }

    @Test
    void notABedrockModel() throws Exception {
        assertFailure("model_list[0] (x): litellm_params.model 'openai/gpt-4' is not a Bedrock model"
                + " (expected bedrock/<model id or ARN>)", "model_list:\n  - model_name: x\n"
                + "    litellm_params: {model: openai/gpt-4}\n");
    }

    @Test
    void unsupportedRoutePrefixAndEmptyModel() throws Exception {
        assertFailure("model_list[0] (a): litellm_params.model 'bedrock/llama/arn:aws:bedrock:x': route prefix"
                        + " 'llama/' is not supported (expected bedrock/[converse/|invoke/]<model id or ARN>)",
                entry("{model: \"bedrock/llama/arn:aws:bedrock:x\"}"));
        assertFailure("model_list[0] (a): litellm_params.model 'bedrock/converse/' names no model"
                + " (expected bedrock/<model id or ARN>)", entry("{model: bedrock/converse/}"));
        assertFailure("model_list[0] (a): litellm_params.model_id 'x/y' must be a model id or an ARN",
                entry("{model: bedrock/m, model_id: x/y}"));
    }

    @Test
    void masterKeyEnvironmentVariableNotSet() throws Exception {
        assertEquals("general_settings.master_key: environment variable GATEWAY_MASTER_KEY is not set",
                failure("general_settings:\n  master_key: os.environ/GATEWAY_MASTER_KEY\n", Map.of()));
    }

    @Test
    void unsetEnvironmentReferenceInAnEntry() throws Exception {
        assertFailure("model_list[0] (a): litellm_params.aws_secret_access_key: environment variable SECRET is"
                + " not set", entry("{model: bedrock/m, aws_access_key_id: AKID, aws_secret_access_key: "
                + "os.environ/SECRET}"));
        assertFailure("model_list[0] (a): litellm_params.model: 'os.environ/' names no environment variable",
                entry("{model: os.environ/}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "weight: abc           | litellm_params.weight must be a positive integer, got 'abc'",
            "weight: 0             | litellm_params.weight must be a positive integer, got '0'",
            "weight: 1.5           | litellm_params.weight must be a positive integer, got '1.5'",
            "weight: [1]           | litellm_params.weight must be a positive integer, got a list",
            "rpm: -1               | litellm_params.rpm must be an integer >= 0, got '-1'",
            "tpm: 99999999999      | litellm_params.tpm must be an integer >= 0, got '99999999999'",
            "timeout: -1           | litellm_params.timeout must be a positive number of seconds, got '-1'",
            "stream_timeout: soon  | litellm_params.stream_timeout must be a positive number of seconds, got 'soon'",
            "connect_timeout: 0    | litellm_params.connect_timeout must be a positive number of seconds, got '0'",
            "aws_region_name: {}   | litellm_params.aws_region_name must be a string, got a mapping",
            "aws_region_name: true | litellm_params.aws_region_name must be a string, got a boolean",
            "aws_region_name: ''   | litellm_params.aws_region_name is empty",
    })
    void wrongTypesInLitellmParams(String field, String expected) throws Exception {
        assertFailure("model_list[0] (a): " + expected, entry("{model: bedrock/m, " + field + "}"));
    }

    @Test
    void wrongShapes() throws Exception {
        assertFailure("model_list must be a list, got a mapping", "model_list: {a: b}\n");
        assertFailure("model_list[0] must be a mapping with model_name and litellm_params, got a list",
                "model_list:\n  - [a]\n");
        assertFailure("model_list[0].model_name is missing", "model_list:\n  - litellm_params: {model: bedrock/m}\n");
        assertFailure("model_list[0].model_name must be a string, got a mapping",
                "model_list:\n  - model_name: {a: b}\n");
        assertFailure("model_list[0] (a): litellm_params is missing", "model_list:\n  - model_name: a\n");
        assertFailure("model_list[0] (a): litellm_params must be a mapping, got a String",
                "model_list:\n  - {model_name: a, litellm_params: bedrock/m}\n");
        assertFailure("model_list[0] (a): litellm_params.model is missing", entry("{aws_region_name: us-east-1}"));
        assertFailure("model_list[0] (a): model_info must be a mapping, got a list",
                "model_list:\n  - {model_name: a, litellm_params: {model: bedrock/m}, model_info: [1]}\n");
        assertFailure("general_settings must be a mapping, got a list", "general_settings: [1]\n");
        assertFailure("router_settings must be a mapping, got a String", "router_settings: fast\n");
        assertFailure("litellm_settings must be a mapping, got a number", "litellm_settings: 3\n");
    }

    @Test
    void generalSettingsTypes() throws Exception {
        assertFailure("general_settings.pass_through_unknown_models must be true or false, got 'maybe'",
                "general_settings: {pass_through_unknown_models: maybe}\n");
        assertFailure("general_settings.max_request_size_mb must be a positive number, got '0'",
                "general_settings: {max_request_size_mb: 0}\n");
        assertFailure("general_settings.max_request_size_mb must be a positive number, got 'big'",
                "general_settings: {max_request_size_mb: big}\n");
        assertFailure("general_settings.master_key is empty", "general_settings: {master_key: ''}\n");
        assertFailure("router_settings.timeout must be a positive number of seconds, got 'x'",
                "router_settings: {timeout: x}\n");
    }

    @Test
    void endpointOverridesAreValidated() throws Exception {
        assertFailure("model_list[0] (a): litellm_params.aws_bedrock_runtime_endpoint 'localhost:4566' must be an"
                + " http:// or https:// URL", entry("{model: bedrock/m, aws_bedrock_runtime_endpoint: "
                + "'localhost:4566'}"));
        assertFailure("model_list[0] (a): litellm_params.aws_bedrock_runtime_endpoint 'https://h/model' must not"
                + " have a path (only scheme, host and port)",
                entry("{model: bedrock/m, aws_bedrock_runtime_endpoint: 'https://h/model'}"));
        String withPassword = failure(entry("{model: bedrock/m, aws_bedrock_runtime_endpoint: "
                + "'https://u:hunter2@h'}"));
        assertEquals("model_list[0] (a): litellm_params.aws_bedrock_runtime_endpoint must not contain user info",
                withPassword);
        assertEquals("environment variable AWS_ENDPOINT_URL_BEDROCK_RUNTIME 'ftp://x' must be an http:// or"
                + " https:// URL", failure("model_list: []\n", Map.of("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "ftp://x")));
    }

    @Test
    void fileProblems() throws Exception {
        String missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml"),
                Environment.of(Map.of()), factory, () -> null)).getMessage();
        assertEquals("config file " + dir.resolve("nope.yaml") + ": not found", missing);

        String syntax = failure("model_list:\n  - model_name: a\n    litellm_params: {model: x\n  bad: [\n");
        assertTrue(syntax.startsWith("config file " + dir.resolve("config.yaml") + ": YAML syntax error at line "),
                syntax);
        assertFalse(syntax.contains("\n"), syntax);

        assertEquals("config file " + dir.resolve("config.yaml") + ": YAML syntax error at line 3, column 1: "
                + "found duplicate key model_list", failure("model_list: []\ngeneral_settings: {}\nmodel_list: []\n"));
        assertEquals("config file " + dir.resolve("config.yaml") + ": is empty (expected model_list,"
                + " general_settings, ...)", failure("# nothing\n"));
        assertEquals("config file " + dir.resolve("config.yaml") + ": the top level must be a mapping (model_list,"
                + " general_settings, ...), got a list", failure("- a\n- b\n"));
        Files.write(dir.resolve("config.yaml"), new byte[]{(byte) 0xC3, (byte) 0x28});
        assertEquals("config file " + dir.resolve("config.yaml") + ": not valid UTF-8",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("config.yaml"),
                        Environment.of(Map.of()), factory, () -> null)).getMessage());
    }

    @Test
    void syntaxErrorNamesTheLine() throws Exception {
        String message = failure("model_list:\n  - model_name: a\n    litellm_params:\n      model: bedrock/m\n"
                + "     aws_region_name: us-east-1\n");
        assertTrue(message.contains(" at line 5, column "), message);
    }

    @Test
    void unsafeYamlTagsAreRefused() throws Exception {
        String message = failure("model_list: !!javax.script.ScriptEngineManager [x]\n");
        assertTrue(message.startsWith("config file "), message);
        assertTrue(message.contains("YAML syntax error at line 1"), message);
    }

    @Test
    void secretsNeverAppearInMessages() throws Exception {
        String message = failure(entry("{model: bedrock/m, aws_access_key_id: AKIAVERYSECRETKEY1}"));
        assertEquals("model_list[0] (a): litellm_params.aws_secret_access_key is missing (aws_access_key_id is set)",
                message);
        assertFalse(message.contains("AKIAVERYSECRETKEY1"));
        String typed = failure(entry("{model: bedrock/m, aws_bearer_token: [s3cr3t]}"));
        assertFalse(typed.contains("s3cr3t"), typed);
    }

    private static String entry(String litellmParams) {
        return "model_list:\n  - model_name: a\n    litellm_params: " + litellmParams + "\n";
    }
}
