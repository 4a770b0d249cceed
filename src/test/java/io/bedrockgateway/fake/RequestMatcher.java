package io.bedrockgateway.fake;

import java.util.Objects;
import java.util.Set;

/**
 * Selects requests for a {@link FaultRule} (or for filtering {@link FakeBedrock#requests(RequestMatcher)}).
 * Implementations must be thread-safe: connection threads call them concurrently.
 */
@FunctionalInterface
public interface RequestMatcher {

    boolean matches(RecordedRequest request);

    /** Every request. */
    static RequestMatcher any() {
        return request -> true;
    }

    /** Requests for one of these AWS operations, e.g. {@code "ConverseStream"}. */
    static RequestMatcher operation(String... operations) {
        Set<String> names = Set.of(operations);
        return request -> request.operation() != null && names.contains(request.operation());
    }

    /** Requests whose decoded model id (from {@code /model/{modelId}/...}) equals {@code modelId}. */
    static RequestMatcher modelId(String modelId) {
        return request -> modelId.equals(request.modelId());
    }

    /** Requests signed for this region. */
    static RequestMatcher region(String region) {
        return request -> region.equals(request.region());
    }

    /** Requests signed with this access key id. */
    static RequestMatcher accessKeyId(String accessKeyId) {
        return request -> accessKeyId.equals(request.accessKeyId());
    }

    /** Requests whose raw (still encoded) path starts with {@code prefix}. */
    static RequestMatcher rawPathStartsWith(String prefix) {
        return request -> request.rawPath().startsWith(prefix);
    }

    /** Requests carrying this header (name case-insensitive) with exactly this value. */
    static RequestMatcher header(String name, String value) {
        return request -> request.headerValues(name).contains(value);
    }

    /** Requests to a streaming operation. */
    static RequestMatcher streaming() {
        return request -> request.operation() != null
                && Operation.valueOfAwsName(request.operation()).streaming();
    }

    default RequestMatcher and(RequestMatcher other) {
        Objects.requireNonNull(other);
        return request -> matches(request) && other.matches(request);
    }

    default RequestMatcher or(RequestMatcher other) {
        Objects.requireNonNull(other);
        return request -> matches(request) || other.matches(request);
    }

    default RequestMatcher negate() {
        return request -> !matches(request);
    }
}
