package io.bedrockgateway.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/1.1 request exactly as it arrived: request target undecoded, headers in arrival order (duplicates kept,
 * values stripped of surrounding whitespace only), body de-chunked. Immutable and thread-safe once built.
 */
record RawRequest(String method, String target, String version, List<Map.Entry<String, String>> headers,
                  byte[] body, long connectionId) {

    RawRequest {
        headers = List.copyOf(headers);
    }

    /** The path part of the target, still percent-encoded. */
    String rawPath() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The query part of the target without {@code ?}, or the empty string. */
    String rawQuery() {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    /** First value of the named header (case-insensitive), or {@code null}. */
    String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** All values of the named header (case-insensitive), in arrival order. */
    List<String> headerValues(String name) {
        List<String> values = new ArrayList<>(2);
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                values.add(h.getValue());
            }
        }
        return values;
    }
}
