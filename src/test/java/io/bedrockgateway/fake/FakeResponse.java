package io.bedrockgateway.fake;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a route handler answers, before faults and wire framing are applied. Immutable and thread-safe.
 */
sealed interface FakeResponse {

    /** Extra response headers beyond the ones the fake always sends ({@code Date}, {@code x-amzn-RequestId}). */
    List<Map.Entry<String, String>> headers();

    /** A complete body sent with {@code Content-Length}. */
    record Fixed(int status, List<Map.Entry<String, String>> headers, byte[] body) implements FakeResponse {
    }

    /** A 200 {@code application/vnd.amazon.eventstream} body sent chunked, one chunk per frame. */
    record Stream(List<Map.Entry<String, String>> headers, EventStreamPlan plan) implements FakeResponse {
    }

    static Map.Entry<String, String> header(String name, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    /** A 200 JSON response with optional extra headers as name/value pairs. */
    static Fixed json(Object body, String... extraHeaders) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(header("Content-Type", "application/json"));
        for (int i = 0; i < extraHeaders.length; i += 2) {
            headers.add(header(extraHeaders[i], extraHeaders[i + 1]));
        }
        byte[] bytes = body instanceof byte[] b ? b : EventFrames.bytes(EventFrames.JSON.valueToTree(body));
        return new Fixed(200, headers, bytes);
    }

    /** An AWS-shaped error: {@code x-amzn-ErrorType} and {@code {"message": ...}}. */
    static Fixed error(AwsError error, String retryAfter) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(header("Content-Type", "application/json"));
        headers.add(header("x-amzn-ErrorType", error.type()));
        if (retryAfter != null) {
            headers.add(header("Retry-After", retryAfter));
        }
        byte[] body = EventFrames.bytes(EventFrames.JSON.createObjectNode().put("message", error.message()));
        return new Fixed(error.status(), headers, body);
    }

    /** A streaming response with extra headers as name/value pairs. */
    static Stream stream(EventStreamPlan plan, String... extraHeaders) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(header("Content-Type", "application/vnd.amazon.eventstream"));
        for (int i = 0; i < extraHeaders.length; i += 2) {
            headers.add(header(extraHeaders[i], extraHeaders[i + 1]));
        }
        return new Stream(headers, plan);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
