package io.bedrockgateway.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of one admin call, parsed strictly from the raw query string (never from a form body):
 * a parameter the route does not know, or one given twice, is a 400 naming it, so that a typo in a filter never
 * silently widens a listing. An empty value counts as absent. Immutable after parsing; not shared between threads.
 */
final class QueryParams {
    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    /** @throws AdminException 400 for an unknown, repeated or undecodable parameter */
    static QueryParams parse(String queryString, Set<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        if (queryString == null || queryString.isEmpty()) {
            return new QueryParams(values);
        }
        for (String pair : queryString.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), null);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
            if (!allowed.contains(name)) {
                throw AdminException.badRequest(name, "unknown query parameter '" + name + "'; this route takes "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
            if (values.containsKey(name)) {
                throw AdminException.badRequest(name, "query parameter '" + name + "' is given more than once");
            }
            values.put(name, value);
        }
        values.values().removeIf(String::isEmpty);
        return new QueryParams(values);
    }

    /** The value, or {@code null} when absent or empty. */
    String get(String name) {
        return values.get(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** An integer in {@code [min, max]}, or {@code defaultValue} when absent. */
    int intValue(String name, int defaultValue, int min, int max) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw AdminException.badRequest(name, name + " must be an integer between " + min + " and " + max);
        }
        if (parsed < min || parsed > max) {
            throw AdminException.badRequest(name, name + " must be between " + min + " and " + max);
        }
        return parsed;
    }

    /** {@code true}/{@code false} (also {@code 1}/{@code 0}, any case), or {@code defaultValue} when absent. */
    boolean booleanValue(String name, boolean defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> {
                return true;
            }
            case "false", "0" -> {
                return false;
            }
            default -> throw AdminException.badRequest(name, name + " must be true or false");
        }
    }

    private static String decode(String raw, String name) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest(name, "malformed percent-encoding in the query string");
        }
    }
}
