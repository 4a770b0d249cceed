package io.bedrockgateway.spend;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A genai-prices {@code match} rule: {@code equals}, {@code starts_with}, {@code ends_with}, {@code contains},
 * {@code regex}, and their {@code or} / {@code and} combinations, compared case-insensitively as genai-prices does.
 *
 * <p>Besides matching, a rule scores how specific the match is, so that the most specific of several matching models
 * wins: an {@code equals} beats everything, otherwise the longest matched literal counts ({@code or}: its best
 * matching branch; {@code and}: the sum of its branches).
 *
 * <p>Immutable and thread-safe.
 */
abstract class MatchRule {
    /** Score of a rule that does not match. */
    static final int NO_MATCH = -1;
    private static final int EQUALS_BONUS = 1 << 20;

    /** The specificity of the match, or {@link #NO_MATCH}; {@code modelId} must already be lower case. */
    abstract int score(String modelId);

    /** Every literal the rule names, lower case (regexes excluded), for tests and diagnostics. */
    abstract void literals(List<String> into);

    /**
     * Parses one rule.
     *
     * @throws IllegalArgumentException on an operator this class does not know or a malformed operand
     */
    static MatchRule parse(JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException("a match rule is an object with exactly one operator: " + node);
        }
        Map.Entry<String, JsonNode> entry = node.fields().next();
        String operator = entry.getKey();
        JsonNode operand = entry.getValue();
        return switch (operator) {
            case "or", "and" -> combine(operator.equals("and"), operand);
            case "equals", "starts_with", "ends_with", "contains" -> new Literal(operator, text(operator, operand));
            case "regex" -> new Regex(Pattern.compile(text(operator, operand)));
            default -> throw new IllegalArgumentException("unknown match operator '" + operator + "'");
        };
    }

    private static String text(String operator, JsonNode operand) {
        if (!operand.isTextual() || operand.asText().isEmpty()) {
            throw new IllegalArgumentException("'" + operator + "' needs a non-empty string");
        }
        return operand.asText();
    }

    private static MatchRule combine(boolean all, JsonNode operand) {
        if (!operand.isArray() || operand.isEmpty()) {
            throw new IllegalArgumentException((all ? "'and'" : "'or'") + " needs a non-empty array");
        }
        List<MatchRule> parts = new ArrayList<>(operand.size());
        operand.forEach(part -> parts.add(parse(part)));
        return new Combination(all, List.copyOf(parts));
    }

    private static final class Literal extends MatchRule {
        private final String operator;
        private final String value;

        Literal(String operator, String value) {
            this.operator = operator;
            this.value = value.toLowerCase(Locale.ROOT);
        }

        @Override
        int score(String modelId) {
            boolean matches = switch (operator) {
                case "equals" -> modelId.equals(value);
                case "starts_with" -> modelId.startsWith(value);
                case "ends_with" -> modelId.endsWith(value);
                default -> modelId.contains(value);
            };
            if (!matches) {
                return NO_MATCH;
            }
            return operator.equals("equals") ? EQUALS_BONUS + value.length() : value.length();
        }

        @Override
        void literals(List<String> into) {
            into.add(value);
        }
    }

    private static final class Regex extends MatchRule {
        private final Pattern pattern;

        Regex(Pattern pattern) {
            this.pattern = pattern;
        }

        @Override
        int score(String modelId) {
            // A regex says little about how specific it is: it only beats a non-match.
            return pattern.matcher(modelId).find() ? 1 : NO_MATCH;
        }

        @Override
        void literals(List<String> into) {
        }
    }

    private static final class Combination extends MatchRule {
        private final boolean all;
        private final List<MatchRule> parts;

        Combination(boolean all, List<MatchRule> parts) {
            this.all = all;
            this.parts = parts;
        }

        @Override
        int score(String modelId) {
            int result = all ? 0 : NO_MATCH;
            for (MatchRule part : parts) {
                int score = part.score(modelId);
                if (all) {
                    if (score == NO_MATCH) {
                        return NO_MATCH;
                    }
                    result += score;
                } else {
                    result = Math.max(result, score);
                }
            }
            return result;
        }

        @Override
        void literals(List<String> into) {
            parts.forEach(part -> part.literals(into));
        }
    }
}
