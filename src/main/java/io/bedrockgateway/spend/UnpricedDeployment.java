package io.bedrockgateway.spend;

/**
 * A configured deployment whose calls cannot be priced, for a start-up warning. Immutable and thread-safe.
 *
 * @param alias        the {@code model_name}
 * @param deploymentId the deployment's id
 * @param modelId      the model looked up in the table ({@code model_info.base_model} when set)
 * @param reason       why, in words fit for a log line
 */
public record UnpricedDeployment(String alias, String deploymentId, String modelId, String reason) {
}
