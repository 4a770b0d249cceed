package io.bedrockgateway.config;

import io.bedrockgateway.routing.RouterSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code router_settings}: retries, cooldown, fallbacks and stickiness, with LiteLLM's names and shapes. */
class RouterSettingsConfigTest extends ConfigLoaderTestSupport {
    private static final String MODELS = """
            model_list:
              - model_name: claude
                litellm_params: {model: bedrock/anthropic.claude-v2, aws_region_name: us-east-1}
              - model_name: claude-backup
                litellm_params: {model: bedrock/anthropic.claude-v2, aws_region_name: eu-west-1}
              - model_name: haiku
                litellm_params: {model: bedrock/anthropic.claude-3-haiku-20240307-v1:0, aws_region_name: us-east-1}
            """;

    @Test
    void defaultsWhenAbsent() throws Exception {
        RouterSettings settings = load(MODELS).routes().settings();
        assertEquals(RouterSettings.DEFAULTS, settings);
        assertEquals(2, settings.numRetries());
        assertEquals(3, settings.allowedFails());
        assertEquals(Duration.ofSeconds(5), settings.cooldownTime());
    }

    @Test
    void everySettingIsRead() throws Exception {
        RouterSettings settings = load(MODELS + """
                router_settings:
                  num_retries: 4
                  retry_after: 0.5
                  allowed_fails: 0
                  cooldown_time: 30
                  fallbacks: [{claude: [claude-backup, haiku]}, {haiku: [claude]}]
                  sticky_by: key
                """).routes().settings();
        assertEquals(4, settings.numRetries());
        assertEquals(Duration.ofMillis(500), settings.retryAfter());
        assertEquals(0, settings.allowedFails());
        assertEquals(Duration.ofSeconds(30), settings.cooldownTime());
        assertEquals(Map.of("claude", List.of("claude-backup", "haiku"), "haiku", List.of("claude")),
                settings.fallbacks());
        assertEquals(List.of(), settings.fallbacksOf("claude-backup"));
        assertEquals("key", settings.stickyBy());
        assertTrue(settings.cooldowns());
    }

    @Test
    void zeroWaitsAndDisabledCooldownsAreAllowed() throws Exception {
        RouterSettings settings = load(MODELS + """
                router_settings: {retry_after: 0, cooldown_time: 0, disable_cooldowns: true, num_retries: 0,
                                  sticky_by: "header:x-session-id", fallbacks: {claude: claude-backup}}
                """).routes().settings();
        assertEquals(Duration.ZERO, settings.retryAfter());
        assertEquals(Duration.ZERO, settings.cooldownTime());
        assertFalse(settings.cooldowns());
        assertEquals(0, settings.numRetries());
        assertEquals("x-session-id", settings.stickyHeader());
        assertEquals(List.of("claude-backup"), settings.fallbacksOf("claude"));
    }

    @Test
    void mistakesAreRefusedWithTheField() throws Exception {
        assertFailure("router_settings.fallbacks: 'nope' is not a model_name in model_list",
                MODELS + "router_settings: {fallbacks: [{claude: [nope]}]}\n");
        assertFailure("router_settings.fallbacks: 'ghost' is not a model_name in model_list",
                MODELS + "router_settings: {fallbacks: [{ghost: [claude]}]}\n");
        assertFailure("router_settings.fallbacks: 'claude' cannot fall back to itself",
                MODELS + "router_settings: {fallbacks: [{claude: [claude]}]}\n");
        assertFailure("router_settings.fallbacks: 'claude' is listed twice",
                MODELS + "router_settings: {fallbacks: [{claude: [haiku]}, {claude: [claude-backup]}]}\n");
        assertFailure("router_settings.fallbacks must be a list of mappings like {my-claude: [my-claude-backup]}",
                MODELS + "router_settings: {fallbacks: [claude]}\n");
        assertFailure("router_settings.num_retries must be an integer >= 0, got '-1'",
                MODELS + "router_settings: {num_retries: -1}\n");
        assertFailure("router_settings.allowed_fails must be an integer >= 0, got '1.5'",
                MODELS + "router_settings: {allowed_fails: 1.5}\n");
        assertFailure("router_settings.cooldown_time must be a positive number of seconds, got '-3'",
                MODELS + "router_settings: {cooldown_time: -3}\n");
        assertFailure("router_settings.sticky_by 'session' must be 'key' or 'header:<name>'",
                MODELS + "router_settings: {sticky_by: session}\n");
    }
}
