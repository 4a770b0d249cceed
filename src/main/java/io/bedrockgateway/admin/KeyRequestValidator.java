package io.bedrockgateway.admin;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON body of {@code /key/generate}, {@code /key/update} or {@code /key/regenerate} into a
 * {@link KeyCommand}, or into the list of everything wrong with it, each error naming its field. Strict on
 * purpose, because these bodies set budgets: a JSON type other than the documented one is an error (no {@code "10"}
 * for {@code 10}), and so is an unknown field, so that a typo such as {@code max_budjet} cannot leave a key without
 * its cap. LiteLLM fields this gateway does not implement are accepted only with a neutral value ({@code null},
 * {@code false}, {@code 0}, {@code ""}, {@code "default"}, {@code []}, <code>{}</code>), as LiteLLM's own UI and
 * SDK send them; anything else is an error rather than a setting silently dropped. {@code spend} is accepted only
 * as 0 on generate: on update LiteLLM would set it, which this API does not do.
 *
 * <p>Only the request itself is checked here; what depends on stored keys (alias taken, key exists, soft budget
 * against a stored max budget) is checked by the caller. Stateless and thread-safe.
 */
public final class KeyRequestValidator {
    /** What the body is for. */
    public enum Kind { GENERATE, UPDATE, REGENERATE }

    /** One problem with one field; {@code param} is the JSON field name (for metadata: {@code metadata.<name>}). */
    public record FieldError(String param, String message) {
    }

    /** The command, or the errors (never both). */
    public record Result(KeyCommand command, List<FieldError> errors) {
        public Result {
            errors = List.copyOf(errors);
        }

        public boolean valid() {
            return command != null;
        }
    }

    /** Smallest length of a caller-chosen key, {@code sk-} included (LiteLLM's rule for {@code new_key}). */
    public static final int MIN_KEY_LENGTH = 16;
    public static final int MAX_KEY_LENGTH = 256;
    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_MODELS = 1_000;
    public static final int MAX_METADATA_BYTES = 64 * 1024;
    /** Largest budget accepted, in USD: far above any real one, far below any column's limit. */
    public static final BigDecimal MAX_BUDGET = new BigDecimal("1000000000000");
    /** LiteLLM's {@code models} value for "every model", the same as an empty list here. */
    public static final String ALL_MODELS = "all-proxy-models";
    private static final Set<String> LITELLM_NEUTRAL_ONLY = Set.of(
            "spend", "aliases", "config", "permissions", "model_max_budget", "model_rpm_limit", "model_tpm_limit",
            "allowed_cache_controls", "guardrails", "policies", "prompts", "tags", "enforced_params",
            "allowed_routes", "allowed_passthrough_routes", "allowed_vector_store_indexes", "budget_id",
            "budget_limits", "budget_fallbacks", "organization_id", "project_id", "agent_id", "send_invite_email",
            "object_permission", "mcp_rpm_limit", "tag_rpm_limit", "access_group_ids", "auto_rotate",
            "rotation_interval", "rpm_limit_type", "tpm_limit_type", "router_settings", "disable_global_guardrails",
            "throttle_on_budget_exceeded", "soft_budget_cooldown", "temp_budget_increase", "temp_budget_expiry",
            "key_type", "new_master_key", "grace_period");

    private KeyRequestValidator() {
    }

    public static Result validate(Kind kind, JsonNode body) {
        Draft draft = new Draft();
        if (body == null || !body.isObject()) {
            draft.error(null, "request body must be a JSON object");
            return new Result(null, draft.errors);
        }
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            KeyField field = KeyField.byJsonName(name);
            if (field != null) {
                draft.present.add(field);
                readSetting(draft, field, value);
            } else if ("key".equals(name)) {
                draft.key = kind == Kind.GENERATE ? KeyFieldRules.newKey(draft, name, value)
                        : KeyFieldRules.keyReference(draft, name, value);
            } else if ("new_key".equals(name) && kind == Kind.REGENERATE) {
                draft.newKey = KeyFieldRules.newKey(draft, name, value);
            } else if ("spend".equals(name) && kind != Kind.GENERATE) {
                // LiteLLM resets spend this way; silently keeping it would look like success.
                draft.error(name, "cannot be changed through the admin API; spend only resets with budget_duration");
            } else if (LITELLM_NEUTRAL_ONLY.contains(name)) {
                if (!KeyFieldRules.neutral(value)) {
                    draft.error(name, "is a LiteLLM setting this gateway does not implement; remove it or send null");
                }
            } else {
                draft.error(name, "is not a known field" + (kind == Kind.GENERATE || kind == Kind.UPDATE
                        ? "; known: key, " + knownFields() : ""));
            }
        }
        if (kind == Kind.UPDATE && draft.key == null && draft.errors.stream().noneMatch(e -> "key".equals(e.param))) {
            draft.error("key", "is required: the key (sk-...) or its token to update");
        }
        draft.errors.addAll(checkBudgets(draft.maxBudget, draft.softBudget));
        if (!draft.errors.isEmpty()) {
            return new Result(null, draft.errors);
        }
        return new Result(new KeyCommand(draft.key, draft.newKey, draft.present, draft.keyAlias, draft.models,
                draft.maxBudget, draft.budgetDuration, draft.softBudget, draft.rpmLimit, draft.tpmLimit,
                draft.maxParallelRequests, draft.duration, draft.userId, draft.teamId, draft.metadata,
                Boolean.TRUE.equals(draft.blocked)), List.of());
    }

    /** {@code soft_budget} must not exceed {@code max_budget} when both are set. */
    public static List<FieldError> checkBudgets(BigDecimal maxBudget, BigDecimal softBudget) {
        if (maxBudget != null && softBudget != null && softBudget.compareTo(maxBudget) > 0) {
            return List.of(new FieldError("soft_budget", "must not be more than max_budget ("
                    + maxBudget.toPlainString() + ")"));
        }
        return List.of();
    }

    private static void readSetting(Draft d, KeyField field, JsonNode v) {
        String name = field.jsonName();
        switch (field) {
            case KEY_ALIAS -> d.keyAlias = KeyFieldRules.name(d, name, v);
            case MODELS -> d.models = KeyFieldRules.models(d, v);
            case MAX_BUDGET -> d.maxBudget = KeyFieldRules.budget(d, name, v);
            case SOFT_BUDGET -> d.softBudget = KeyFieldRules.budget(d, name, v);
            case BUDGET_DURATION -> d.budgetDuration = KeyFieldRules.duration(d, name, v);
            case DURATION -> d.duration = KeyFieldRules.duration(d, name, v);
            case RPM_LIMIT -> d.rpmLimit = KeyFieldRules.positive(d, name, v, Long.MAX_VALUE);
            case TPM_LIMIT -> d.tpmLimit = KeyFieldRules.positive(d, name, v, Long.MAX_VALUE);
            case MAX_PARALLEL_REQUESTS -> {
                Long value = KeyFieldRules.positive(d, name, v, Integer.MAX_VALUE);
                d.maxParallelRequests = value == null ? null : value.intValue();
            }
            case USER_ID -> d.userId = KeyFieldRules.name(d, name, v);
            case TEAM_ID -> d.teamId = KeyFieldRules.name(d, name, v);
            case METADATA -> d.metadata = KeyFieldRules.metadata(d, v);
            case BLOCKED -> {
                if (!v.isNull() && !v.isBoolean()) {
                    d.error(name, "must be true or false, not " + AdminJson.describe(v));
                }
                d.blocked = v.isBoolean() && v.booleanValue();
            }
            default -> throw new IllegalStateException(field.toString());
        }
    }

    private static String knownFields() {
        List<String> names = new ArrayList<>();
        for (KeyField field : KeyField.values()) {
            names.add(field.jsonName());
        }
        return String.join(", ", names);
    }

    /** Mutable state of one validation; confined to the calling thread. */
    private static final class Draft implements KeyFieldRules.ErrorSink {
        final List<FieldError> errors = new ArrayList<>();
        final Set<KeyField> present = EnumSet.noneOf(KeyField.class);
        String key;
        String newKey;
        String keyAlias;
        List<String> models;
        BigDecimal maxBudget;
        String budgetDuration;
        BigDecimal softBudget;
        Long rpmLimit;
        Long tpmLimit;
        Integer maxParallelRequests;
        String duration;
        String userId;
        String teamId;
        Map<String, Object> metadata;
        Boolean blocked;

        @Override
        public void error(String param, String message) {
            errors.add(new FieldError(param, message));
        }
    }
}
