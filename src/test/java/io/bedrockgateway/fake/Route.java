package io.bedrockgateway.fake;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A request matched to an {@link Operation}, with its decoded path segments. Immutable and thread-safe.
 *
 * @param operation the operation
 * @param segments  the percent-decoded path segments (an encoded {@code /} stays inside its segment)
 */
record Route(Operation operation, List<String> segments) {

    Route {
        segments = List.copyOf(segments);
    }

    /** Finds the operation for a method and raw path, or returns {@code null} (unknown operation). */
    static Route resolve(String method, String rawPath) {
        List<String> segments = decodeSegments(rawPath);
        if (segments == null) {
            return null;
        }
        for (Operation op : Operation.values()) {
            if (op.matches(method, segments)) {
                return new Route(op, segments);
            }
        }
        return null;
    }

    /** A path parameter by template name, decoded. */
    String param(String name) {
        return operation.param(name, segments);
    }

    /** The decoded model id for {@code /model/{modelId}/...} operations, else {@code null}. */
    String modelId() {
        return param("modelId");
    }

    /** The decoded query parameters (first value wins); {@code +} is kept literally, as SigV4 clients send %20. */
    static java.util.Map<String, String> query(String rawQuery) {
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        for (String part : rawQuery.split("&")) {
            if (!part.isEmpty()) {
                int eq = part.indexOf('=');
                String name = percentDecode(eq < 0 ? part : part.substring(0, eq));
                String value = eq < 0 ? "" : percentDecode(part.substring(eq + 1));
                if (name != null && value != null) {
                    params.putIfAbsent(name, value);
                }
            }
        }
        return params;
    }

    /** Splits on {@code /} first and decodes each segment after, so {@code %2F} stays inside a segment. */
    static List<String> decodeSegments(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return null;
        }
        List<String> segments = new ArrayList<>(8);
        for (String raw : rawPath.substring(1).split("/", -1)) {
            String decoded = percentDecode(raw);
            if (decoded == null) {
                return null;
            }
            segments.add(decoded);
        }
        return segments;
    }

    /** Decodes {@code %XX} as UTF-8, leaving {@code +} alone; {@code null} on a malformed escape. */
    static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (i + 2 >= raw.length()) {
                return null;
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
