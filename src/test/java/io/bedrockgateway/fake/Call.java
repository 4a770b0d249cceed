package io.bedrockgateway.fake;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Instant;

/**
 * One authenticated request being answered by a route handler. Confined to its connection's thread.
 */
final class Call {
    /** Region used in ARNs when neither the signature nor the fake names one (bearer tokens). */
    static final String DEFAULT_REGION = "us-west-2";
    static final String ACCOUNT = "123456789012";

    final RecordedRequest request;
    final Route route;
    final FakeSettings settings;
    private JsonNode body;

    Call(RecordedRequest request, Route route, FakeSettings settings) {
        this.request = request;
        this.route = route;
        this.settings = settings;
    }

    /** The region this call is served in: the signed region, else the fake's region, else us-west-2. */
    String region() {
        if (request.region() != null) {
            return request.region();
        }
        return settings.region != null ? settings.region : DEFAULT_REGION;
    }

    Instant now() {
        return settings.clock.instant();
    }

    /** The model id from the path, after Bedrock's identifier check. */
    String modelId() {
        String modelId = route.modelId();
        if (settings.invalidModel(modelId)) {
            throw AwsError.invalidModel().failure();
        }
        return modelId;
    }

    Usage usage() {
        return settings.usageFor(route.modelId());
    }

    /** The request body as a JSON object; anything else is a {@code ValidationException}. */
    JsonNode body() {
        if (body == null) {
            try {
                body = EventFrames.JSON.readTree(request.body());
            } catch (IOException e) {
                throw AwsError.malformedBody().failure();
            }
            if (body == null || !body.isObject()) {
                throw AwsError.malformedBody().failure();
            }
        }
        return body;
    }

    /** Requires a non-empty array member, answering like Bedrock's input validation otherwise. */
    JsonNode requireArray(String member) {
        JsonNode value = body().get(member);
        if (value == null || value.isNull()) {
            throw AwsError.validation("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null").failure();
        }
        if (!value.isArray() || value.isEmpty()) {
            throw AwsError.validation("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must have length greater than or equal to 1").failure();
        }
        return value;
    }

    /** Requires a present, non-null member. */
    JsonNode require(String member) {
        JsonNode value = body().get(member);
        if (value == null || value.isNull()) {
            throw AwsError.validation("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null").failure();
        }
        return value;
    }

    String arn(String resource) {
        return "arn:aws:bedrock:" + region() + ":" + ACCOUNT + ":" + resource;
    }
}
