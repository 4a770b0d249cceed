package io.bedrockgateway.routing;

/** The two Bedrock data-plane services the gateway fronts. Both sign with service name {@code bedrock}. */
public enum BedrockService {
    RUNTIME("bedrock-runtime"),
    AGENT_RUNTIME("bedrock-agent-runtime");

    private final String endpointPrefix;

    BedrockService(String endpointPrefix) {
        this.endpointPrefix = endpointPrefix;
    }

    /** Host prefix of the regional endpoint: {@code https://<prefix>.<region>.amazonaws.com}. */
    public String endpointPrefix() {
        return endpointPrefix;
    }

    /** SigV4 signing name; the same for both services. */
    public String signingName() {
        return "bedrock";
    }
}
