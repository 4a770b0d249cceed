package io.bedrockgateway.admin;

import io.bedrockgateway.keys.VirtualKey;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link VirtualKey} in LiteLLM's JSON names ({@code LiteLLM_VerificationToken} and {@code GenerateKeyResponse}).
 * Times are ISO-8601 UTC strings; unset values are {@code null}, as LiteLLM sends them. Stateless and thread-safe.
 */
final class KeyView {
    private KeyView() {
    }

    /**
     * The stored key: what {@code /key/info} returns under {@code info}, {@code /key/list} with
     * {@code return_full_object=true} and {@code /key/block}. Includes {@code token} (the hash), which LiteLLM's
     * {@code /key/info} leaves out: here it is the id other routes take.
     */
    static Map<String, Object> info(VirtualKey key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("token", key.tokenHash());
        view.put("key_name", key.keyName());
        view.put("key_alias", key.keyAlias());
        view.put("spend", key.spend());
        view.put("max_budget", key.maxBudget());
        view.put("soft_budget", key.softBudget());
        view.put("budget_duration", key.budgetDuration());
        view.put("budget_reset_at", time(key.budgetResetAt()));
        view.put("expires", time(key.expiresAt()));
        view.put("models", key.models());
        view.put("user_id", key.userId());
        view.put("team_id", key.teamId());
        view.put("metadata", key.metadata());
        view.put("tpm_limit", key.tpmLimit());
        view.put("rpm_limit", key.rpmLimit());
        view.put("max_parallel_requests", key.maxParallelRequests());
        view.put("blocked", key.blocked());
        view.put("created_at", time(key.createdAt()));
        view.put("updated_at", time(key.updatedAt()));
        return view;
    }

    /**
     * The answer to generate and regenerate: the secret {@code key} (shown this once), {@code token} and
     * {@code token_id} (both the hash, as LiteLLM sends them) and the settings.
     *
     * @param duration the requested {@code duration}, echoed as LiteLLM does, or {@code null}
     */
    static Map<String, Object> generated(String secret, VirtualKey key, String duration) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("key", secret);
        view.put("key_name", key.keyName());
        view.put("key_alias", key.keyAlias());
        view.put("token", key.tokenHash());
        view.put("token_id", key.tokenHash());
        view.put("expires", time(key.expiresAt()));
        view.put("duration", duration);
        Map<String, Object> info = info(key);
        info.remove("token");
        info.remove("key_name");
        info.remove("key_alias");
        info.remove("expires");
        view.putAll(info);
        return view;
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
