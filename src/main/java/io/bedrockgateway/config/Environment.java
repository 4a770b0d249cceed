package io.bedrockgateway.config;

import java.util.Map;

/**
 * Where the gateway reads environment settings ({@code os.environ/NAME} references, {@code AWS_REGION},
 * {@code AWS_ENDPOINT_URL_*}, {@code GATEWAY_CONFIG}, ...). The default looks up a JVM system property of the exact
 * same name first, then the process environment: app servers make system properties easier to set than
 * environment variables. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Environment {

    /** The value of {@code name}, or {@code null} when unset or blank. */
    String get(String name);

    /** System property of the same name, then the process environment. */
    static Environment system() {
        return name -> {
            String value = System.getProperty(name);
            if (value == null || value.isBlank()) {
                value = System.getenv(name);
            }
            return value == null || value.isBlank() ? null : value;
        };
    }

    /** A fixed map, for tests. */
    static Environment of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return name -> {
            String value = copy.get(name);
            return value == null || value.isBlank() ? null : value;
        };
    }
}
