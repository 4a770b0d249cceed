package io.bedrockgateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockgateway.keys.KeyHashing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.bedrockgateway.admin.KeyRequestValidator.ALL_MODELS;
import static io.bedrockgateway.admin.KeyRequestValidator.MAX_BUDGET;
import static io.bedrockgateway.admin.KeyRequestValidator.MAX_KEY_LENGTH;
import static io.bedrockgateway.admin.KeyRequestValidator.MAX_METADATA_BYTES;
import static io.bedrockgateway.admin.KeyRequestValidator.MAX_MODELS;
import static io.bedrockgateway.admin.KeyRequestValidator.MAX_NAME_LENGTH;
import static io.bedrockgateway.admin.KeyRequestValidator.MIN_KEY_LENGTH;

/**
 * The rule for each kind of key field, as {@link KeyRequestValidator} applies them: each reads one JSON value,
 * reports what is wrong with it to an {@link ErrorSink} under the field's name and returns the value, or
 * {@code null} when it is JSON {@code null} or wrong. Stateless and thread-safe.
 */
final class KeyFieldRules {
    private static final Pattern KEY_SYNTAX = Pattern.compile("sk-[A-Za-z0-9._~-]+");

    /** Where the rules report problems. */
    interface ErrorSink {
        void error(String param, String message);
    }

    private KeyFieldRules() {
    }

    /** Alias, user or team id: a plain string without surrounding blanks or control characters. */
    static String name(ErrorSink d, String param, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            d.error(param, "must be a string, not " + AdminJson.describe(v));
            return null;
        }
        String problem = nameProblem(v.textValue());
        if (problem != null) {
            d.error(param, problem);
            return null;
        }
        return v.textValue();
    }

    static String nameProblem(String s) {
        if (s.isBlank()) {
            return "must not be empty";
        }
        if (s.length() > MAX_NAME_LENGTH) {
            return "must not be longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (!s.strip().equals(s)) {
            return "must not start or end with blanks";
        }
        if (s.chars().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        return null;
    }

    static List<String> models(ErrorSink d, JsonNode v) {
        if (v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            d.error("models", "must be an array of model names, not " + AdminJson.describe(v));
            return null;
        }
        if (v.size() > MAX_MODELS) {
            d.error("models", "must not list more than " + MAX_MODELS + " models");
            return null;
        }
        Set<String> models = new LinkedHashSet<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String problem = item.isTextual() ? nameProblem(item.textValue())
                    : "must be a string, not " + AdminJson.describe(item);
            if (problem == null && "no-default-models".equals(item.textValue())) {
                problem = "'no-default-models' is not supported: block the key instead";
            }
            if (problem != null) {
                d.error("models", "[" + i + "] " + problem);
                return null;
            }
            models.add(item.textValue());
        }
        return models.contains(ALL_MODELS) ? List.of() : List.copyOf(models);
    }

    static BigDecimal budget(ErrorSink d, String param, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            d.error(param, "must be a number (USD), not " + AdminJson.describe(v));
            return null;
        }
        BigDecimal value = v.decimalValue();
        if (value.signum() < 0) {
            d.error(param, "must be 0 or more");
            return null;
        }
        if (value.compareTo(MAX_BUDGET) > 0) {
            d.error(param, "must not be more than " + MAX_BUDGET.toPlainString());
            return null;
        }
        return value;
    }

    static String duration(ErrorSink d, String param, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            d.error(param, "must be a string such as \"30d\", not " + AdminJson.describe(v));
            return null;
        }
        String problem = DurationSyntax.problem(v.textValue());
        if (problem != null) {
            d.error(param, problem);
            return null;
        }
        return v.textValue();
    }

    static Long positive(ErrorSink d, String param, JsonNode v, long max) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            d.error(param, "must be a whole number, not " + AdminJson.describe(v));
            return null;
        }
        if (!v.canConvertToLong() || v.longValue() < 1 || v.longValue() > max) {
            d.error(param, "must be between 1 and " + max);
            return null;
        }
        return v.longValue();
    }

    static Map<String, Object> metadata(ErrorSink d, JsonNode v) {
        if (v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            d.error("metadata", "must be a JSON object, not " + AdminJson.describe(v));
            return null;
        }
        if (v.toString().getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
            d.error("metadata", "must not be larger than " + MAX_METADATA_BYTES + " bytes");
            return null;
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : v.properties()) {
            if (entry.getValue().isNull()) {
                d.error("metadata." + entry.getKey(), "must not be null; leave the entry out instead");
                return null;
            }
            metadata.put(entry.getKey(), AdminJson.MAPPER.convertValue(entry.getValue(), Object.class));
        }
        return metadata;
    }

    /**
     * A key the caller chooses: {@code sk-}, then characters that need no encoding in a URL or a header (so that
     * {@code ?key=} and {@code /key/{key}/regenerate} work unencoded), long enough to be a secret.
     */
    static String newKey(ErrorSink d, String param, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            d.error(param, "must be a string, not " + AdminJson.describe(v));
            return null;
        }
        String key = v.textValue();
        if (!key.startsWith(KeyHashing.KEY_PREFIX)) {
            d.error(param, "must start with " + KeyHashing.KEY_PREFIX);
        } else if (key.length() < MIN_KEY_LENGTH || key.length() > MAX_KEY_LENGTH) {
            d.error(param, "must be " + MIN_KEY_LENGTH + " to " + MAX_KEY_LENGTH + " characters long");
        } else if (!KEY_SYNTAX.matcher(key).matches()) {
            d.error(param, "may contain only letters, digits and . _ ~ - (no characters that need URL encoding)");
        } else {
            return key;
        }
        return null;
    }

    /** An existing key or its token, as update and regenerate name the key they act on. */
    static String keyReference(ErrorSink d, String param, JsonNode v) {
        if (!v.isTextual() || v.textValue().isBlank() || v.textValue().length() > MAX_KEY_LENGTH) {
            d.error(param, "must be the key (sk-...) or its token, as a string");
            return null;
        }
        return v.textValue();
    }

    static boolean neutral(JsonNode v) {
        return v.isNull() || (v.isBoolean() && !v.booleanValue()) || (v.isNumber() && v.decimalValue().signum() == 0)
                || (v.isTextual() && (v.textValue().isEmpty() || "default".equals(v.textValue())))
                || (v.isContainerNode() && v.isEmpty());
    }
}
