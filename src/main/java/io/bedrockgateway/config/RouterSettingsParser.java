package io.bedrockgateway.config;

import io.bedrockgateway.routing.RouterSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the resilience part of {@code router_settings}: {@code num_retries}, {@code retry_after},
 * {@code allowed_fails}, {@code cooldown_time}, {@code disable_cooldowns}, {@code fallbacks} and {@code sticky_by}.
 * {@code fallbacks} is LiteLLM's list of one-entry mappings, {@code [{my-claude: [my-claude-backup]}]}; a plain
 * mapping is accepted too. Every alias named must exist, and an alias may not fall back to itself.
 *
 * <p>Stateless and thread-safe.
 */
final class RouterSettingsParser {
    static final Set<String> KEYS = Set.of("num_retries", "retry_after", "allowed_fails", "cooldown_time",
            "disable_cooldowns", "fallbacks", "sticky_by");

    private RouterSettingsParser() {
    }

    static RouterSettings parse(ConfigFields router, Set<String> aliases) throws ConfigException {
        RouterSettings defaults = RouterSettings.DEFAULTS;
        int numRetries = router.integer("num_retries", 0, defaults.numRetries());
        Duration retryAfter = secondsOrZero(router, "retry_after", defaults.retryAfter());
        int allowedFails = router.integer("allowed_fails", 0, defaults.allowedFails());
        Duration cooldown = secondsOrZero(router, "cooldown_time", defaults.cooldownTime());
        boolean cooldowns = !router.bool("disable_cooldowns", false);
        return new RouterSettings(numRetries, retryAfter, allowedFails, cooldown, cooldowns,
                fallbacks(router, aliases), stickyBy(router));
    }

    private static Map<String, List<String>> fallbacks(ConfigFields router, Set<String> aliases)
            throws ConfigException {
        if (!router.has("fallbacks")) {
            return Map.of();
        }
        Object raw = router.raw().get("fallbacks");
        List<Map<?, ?>> entries = new ArrayList<>();
        if (raw instanceof Map<?, ?> map) {
            entries.add(map);
        } else if (raw instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> map)) {
                    throw router.error("fallbacks", " must be a list of mappings like {my-claude: [my-claude-backup]}");
                }
                entries.add(map);
            }
        } else {
            throw router.error("fallbacks", " must be a list of mappings like {my-claude: [my-claude-backup]}");
        }
        Map<String, List<String>> fallbacks = new LinkedHashMap<>();
        for (Map<?, ?> entry : entries) {
            for (Map.Entry<?, ?> mapping : entry.entrySet()) {
                String alias = String.valueOf(mapping.getKey());
                checkAlias(router, alias, aliases);
                List<String> targets = new ArrayList<>();
                Object value = mapping.getValue();
                for (Object target : value instanceof List<?> list ? list : List.of(String.valueOf(value))) {
                    String name = String.valueOf(target);
                    checkAlias(router, name, aliases);
                    if (name.equals(alias)) {
                        throw router.error("fallbacks", ": '" + alias + "' cannot fall back to itself");
                    }
                    if (!targets.contains(name)) {
                        targets.add(name);
                    }
                }
                if (fallbacks.putIfAbsent(alias, targets) != null) {
                    throw router.error("fallbacks", ": '" + alias + "' is listed twice");
                }
            }
        }
        return fallbacks;
    }

    private static void checkAlias(ConfigFields router, String alias, Set<String> aliases) throws ConfigException {
        if (!aliases.contains(alias)) {
            throw router.error("fallbacks", ": '" + alias + "' is not a model_name in model_list");
        }
    }

    private static String stickyBy(ConfigFields router) throws ConfigException {
        String sticky = router.string("sticky_by");
        if (sticky == null) {
            return null;
        }
        if (sticky.equals(RouterSettings.STICKY_KEY) || (sticky.startsWith(RouterSettings.STICKY_HEADER_PREFIX)
                && sticky.length() > RouterSettings.STICKY_HEADER_PREFIX.length())) {
            return sticky;
        }
        throw router.error("sticky_by", " '" + sticky + "' must be 'key' or 'header:<name>'");
    }

    /** A number of seconds where 0 is meaningful (no wait, no cooldown); {@code fallback} when absent. */
    private static Duration secondsOrZero(ConfigFields router, String key, Duration fallback) throws ConfigException {
        Object raw = router.raw().get(key);
        if (raw instanceof Number number && number.doubleValue() == 0) {
            return Duration.ZERO;
        }
        Duration value = router.seconds(key);
        return value != null ? value : fallback;
    }
}
