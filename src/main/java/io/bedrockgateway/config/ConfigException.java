package io.bedrockgateway.config;

/**
 * A configuration that cannot be used. The message is one line that names the entry and the field, e.g.
 * {@code model_list[2] (my-claude): litellm_params.aws_region_name is missing}, and never contains a secret.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
