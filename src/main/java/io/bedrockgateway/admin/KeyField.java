package io.bedrockgateway.admin;

import java.util.HashMap;
import java.util.Map;

/** The key settings that {@code /key/generate}, {@code /key/update} and {@code /key/regenerate} take, by JSON name. */
public enum KeyField {
    KEY_ALIAS("key_alias"),
    MODELS("models"),
    MAX_BUDGET("max_budget"),
    BUDGET_DURATION("budget_duration"),
    SOFT_BUDGET("soft_budget"),
    RPM_LIMIT("rpm_limit"),
    TPM_LIMIT("tpm_limit"),
    MAX_PARALLEL_REQUESTS("max_parallel_requests"),
    DURATION("duration"),
    USER_ID("user_id"),
    TEAM_ID("team_id"),
    METADATA("metadata"),
    BLOCKED("blocked");

    private static final Map<String, KeyField> BY_NAME = new HashMap<>();

    static {
        for (KeyField field : values()) {
            BY_NAME.put(field.jsonName, field);
        }
    }

    private final String jsonName;

    KeyField(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The field's name in LiteLLM's request and response bodies. */
    public String jsonName() {
        return jsonName;
    }

    /** The field called {@code name}, or {@code null}. */
    public static KeyField byJsonName(String name) {
        return BY_NAME.get(name);
    }
}
