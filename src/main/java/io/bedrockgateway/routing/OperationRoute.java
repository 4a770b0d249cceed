package io.bedrockgateway.routing;

import io.bedrockgateway.errors.GatewayError;

import java.util.ArrayList;
import java.util.List;

/**
 * One route template of {@link OperationParser}. Template segments are literals or placeholders:
 * {@code {name}} matches one non-empty segment; {@code {name+}} may also span several raw segments when the first
 * one starts with {@code arn:} (a raw ARN); {@code {name*}} is the model id, which may span any number of
 * non-empty segments (aliases may contain {@code /} too). At most one spanning placeholder per template.
 *
 * <p>Immutable and thread-safe.
 */
final class OperationRoute {
    private final BedrockService service;
    private final String name;
    private final String method;
    private final List<String> template;
    private final boolean streaming;
    private final boolean supported;
    private final int spanning;
    private final boolean spanAnything;
    private final boolean modelScoped;

    private OperationRoute(BedrockService service, String name, String method, String template, boolean streaming,
                           boolean supported) {
        this.service = service;
        this.name = name;
        this.method = method;
        this.template = PathCodec.decodeSegments(template);
        this.streaming = streaming;
        this.supported = supported;
        int span = -1;
        for (int i = 0; i < this.template.size(); i++) {
            String segment = this.template.get(i);
            if (segment.endsWith("+}") || segment.endsWith("*}")) {
                span = i;
            }
        }
        this.spanning = span;
        this.spanAnything = span >= 0 && this.template.get(span).endsWith("*}");
        this.modelScoped = spanAnything;
    }

    static OperationRoute runtime(String name, String method, String template, boolean streaming) {
        return new OperationRoute(BedrockService.RUNTIME, name, method, template, streaming, true);
    }

    static OperationRoute agent(String name, String method, String template, boolean streaming) {
        return new OperationRoute(BedrockService.AGENT_RUNTIME, name, method, template, streaming, true);
    }

    /** A real AWS operation the gateway cannot relay (e.g. bidirectional HTTP/2 streams). */
    static OperationRoute unsupported(String name, String method, String template) {
        return new OperationRoute(BedrockService.RUNTIME, name, method, template, true, false);
    }

    String method() {
        return method;
    }

    String firstSegment() {
        return template.get(0);
    }

    int literalCount() {
        int count = 0;
        for (String segment : template) {
            if (!isPlaceholder(segment)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Matches decoded request segments against this template.
     *
     * @return the segments with any spanning value rejoined into one, or {@code null} when the path does not match
     */
    List<String> match(List<String> segments) {
        if (spanning < 0) {
            return segments.size() == template.size() && matchRange(segments, 0, 0, template.size())
                    ? segments : null;
        }
        int suffix = template.size() - spanning - 1;
        int spanEnd = segments.size() - suffix;
        if (spanEnd <= spanning
                || !matchRange(segments, 0, 0, spanning)
                || !matchRange(segments, spanEnd, spanning + 1, suffix)) {
            return null;
        }
        List<String> span = segments.subList(spanning, spanEnd);
        if (span.contains("") || (span.size() > 1 && !spanAnything && !span.get(0).startsWith("arn:"))) {
            return null;
        }
        List<String> joined = new ArrayList<>(template.size());
        joined.addAll(segments.subList(0, spanning));
        joined.add(String.join("/", span));
        joined.addAll(segments.subList(spanEnd, segments.size()));
        return joined;
    }

    BedrockOperation toOperation(List<String> matchedSegments) {
        if (!supported) {
            throw GatewayError.UNKNOWN_OPERATION.exception(name + " is not supported by the gateway");
        }
        return new BedrockOperation(service, name, method, matchedSegments, modelScoped ? spanning : -1,
                streaming);
    }

    private boolean matchRange(List<String> segments, int from, int templateFrom, int count) {
        for (int i = 0; i < count; i++) {
            String expected = template.get(templateFrom + i);
            String actual = segments.get(from + i);
            if (isPlaceholder(expected) ? actual.isEmpty() : !expected.equals(actual)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlaceholder(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }
}
