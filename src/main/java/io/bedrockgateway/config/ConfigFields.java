package io.bedrockgateway.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Typed, validated reads from one YAML mapping, with {@code os.environ/NAME} references resolved through the
 * {@link Environment}. Every error names the field with its full prefix, e.g.
 * {@code model_list[2] (my-claude): litellm_params.weight must be a positive integer, got 'abc'}; values of secret
 * fields are never echoed.
 *
 * <p>Not thread-safe; used by one loading thread.
 */
final class ConfigFields {
    static final String ENV_PREFIX = "os.environ/";
    private static final Logger LOG = Logger.getLogger(ConfigFields.class.getName());

    private final Map<String, Object> values;
    private final String prefix;
    private final Environment env;

    /**
     * @param prefix put before every key in messages, e.g. {@code general_settings.}
     */
    ConfigFields(Map<?, ?> values, String prefix, Environment env) {
        this.values = new LinkedHashMap<>();
        values.forEach((key, value) -> this.values.put(String.valueOf(key), value));
        this.prefix = prefix;
        this.env = env;
    }

    /** A section of the file: absent or {@code null} is an empty section; anything but a mapping is refused. */
    static ConfigFields section(Object value, String name, String prefix, Environment env) throws ConfigException {
        if (value == null) {
            return new ConfigFields(Map.of(), prefix, env);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ConfigException(name + " must be a mapping, got " + typeName(value));
        }
        return new ConfigFields(map, prefix, env);
    }

    Map<String, Object> raw() {
        return values;
    }

    /** The message prefix plus {@code key}: how errors name this field. */
    String field(String key) {
        return prefix + key;
    }

    ConfigException error(String key, String detail) {
        return new ConfigException(field(key) + detail);
    }

    /** Logs one warning listing keys other than {@code known}. */
    void warnUnknownKeys(Collection<String> known, String what) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            String where = prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) + ": " : prefix;
            LOG.warning(where + "ignoring " + what + " " + unknown);
        }
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    /** A string (numbers are accepted as their text), resolved; {@code null} when absent. */
    String string(String key) throws ConfigException {
        return string(key, false);
    }

    /** Like {@link #string} for passwords, keys and tokens: errors never show the value. */
    String secret(String key) throws ConfigException {
        return string(key, true);
    }

    String requiredString(String key) throws ConfigException {
        String value = string(key);
        if (value == null) {
            throw error(key, " is missing");
        }
        return value;
    }

    /** An integer of at least {@code min}, or {@code fallback} when absent. */
    int integer(String key, int min, int fallback) throws ConfigException {
        String expected = min > 0 ? " must be a positive integer" : " must be an integer >= " + min;
        BigDecimal number = number(key, expected);
        if (number == null) {
            return fallback;
        }
        try {
            int value = number.intValueExact();
            if (value >= min) {
                return value;
            }
        } catch (ArithmeticException e) {
            // fractional or out of range: reported below
        }
        throw error(key, expected + ", got '" + number.toPlainString() + "'");
    }

    /** A positive number of seconds (fractions allowed), or {@code null} when absent. */
    Duration seconds(String key) throws ConfigException {
        String expected = " must be a positive number of seconds";
        BigDecimal number = number(key, expected);
        if (number == null) {
            return null;
        }
        if (number.signum() <= 0 || number.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000_000L)) > 0) {
            throw error(key, expected + ", got '" + number.toPlainString() + "'");
        }
        return Duration.ofNanos(number.movePointRight(9).longValue());
    }

    /** A positive number, or {@code null} when absent. */
    BigDecimal positiveNumber(String key) throws ConfigException {
        BigDecimal number = number(key, " must be a positive number");
        if (number != null && number.signum() <= 0) {
            throw error(key, " must be a positive number, got '" + number.toPlainString() + "'");
        }
        return number;
    }

    boolean bool(String key, boolean fallback) throws ConfigException {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value instanceof String s ? resolve(key, s, false).trim().toLowerCase(Locale.ROOT) : "";
        if (text.equals("true") || text.equals("false")) {
            return text.equals("true");
        }
        throw error(key, " must be true or false, got " + describe(value));
    }

    /** A nested mapping, or {@code null} when absent. */
    Map<?, ?> map(String key) throws ConfigException {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw error(key, " must be a mapping, got " + typeName(value));
    }

    /** A list, or {@code null} when absent. */
    List<?> list(String key) throws ConfigException {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return list;
        }
        throw error(key, " must be a list, got " + typeName(value));
    }

    private String string(String key, boolean secret) throws ConfigException {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String) && !(value instanceof Number)) {
            throw error(key, " must be a string, got " + typeName(value));
        }
        String text = resolve(key, value.toString(), secret).trim();
        if (text.isEmpty()) {
            throw error(key, " is empty");
        }
        return text;
    }

    private BigDecimal number(String key, String expected) throws ConfigException {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return BigDecimal.valueOf(d);
        }
        if (value instanceof String s) {
            String text = resolve(key, s, false).trim();
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw error(key, expected + ", got '" + text + "'");
            }
        }
        throw error(key, expected + ", got " + describe(value));
    }

    /** Resolves an {@code os.environ/NAME} reference; any other text is returned as is. */
    private String resolve(String key, String text, boolean secret) throws ConfigException {
        String trimmed = text.trim();
        if (!trimmed.startsWith(ENV_PREFIX)) {
            return text;
        }
        String name = trimmed.substring(ENV_PREFIX.length());
        if (name.isEmpty()) {
            throw error(key, ": '" + ENV_PREFIX + "' names no environment variable");
        }
        String resolved = env.get(name);
        if (resolved == null) {
            throw error(key, ": environment variable " + name + " is not set");
        }
        return resolved;
    }

    private static String describe(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean
                ? "'" + value + "'" : typeName(value);
    }

    static String typeName(Object value) {
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return value instanceof Number ? "a number" : "a " + value.getClass().getSimpleName();
    }
}
