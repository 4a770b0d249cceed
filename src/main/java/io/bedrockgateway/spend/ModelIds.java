package io.bedrockgateway.spend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns whatever names a model (a model id, an inference-profile id, a foundation-model or inference-profile ARN, a
 * LiteLLM {@code bedrock/...} string) into the ids to look up in the price table, most literal first.
 *
 * <p>The table's rules are tried on the id as given before anything is stripped, because some of them depend on the
 * cross-region prefix: for recent Anthropic models a {@code global.} profile costs less than a geographic ({@code us.},
 * {@code eu.}, ...) profile or an in-region call. Only when nothing matches are the context-window suffix
 * ({@code :200k}), then the version suffix ({@code :0}), then the cross-region prefix dropped.
 *
 * <p>Stateless and thread-safe.
 */
final class ModelIds {
    /** Cross-region inference profile prefixes (geographies and global), longest first where one extends another. */
    static final List<String> REGION_PREFIXES =
            List.of("us-gov.", "us.", "eu.", "apac.", "jp.", "au.", "ca.", "in.", "global.");
    private static final List<String> LITELLM_PREFIXES = List.of("bedrock/converse/", "bedrock/invoke/", "bedrock/");
    /** ARN resource types whose resource id is a model id. */
    private static final List<String> MODEL_RESOURCES = List.of("foundation-model/", "inference-profile/");
    /** A version ({@code :0}) or context-window ({@code :200k}, {@code :mm}) suffix. */
    private static final Pattern SUFFIX = Pattern.compile(":(?:[0-9]+k?|mm)$");
    private static final int MAX_SUFFIXES = 2;

    private ModelIds() {
    }

    /**
     * The lower-case ids to try, in order; empty when the input names no model the table could know (blank, or an
     * ARN of an application inference profile, a provisioned or custom model).
     */
    static List<String> candidates(String modelId) {
        String base = baseId(modelId);
        if (base == null) {
            return List.of();
        }
        List<String> candidates = new ArrayList<>(6);
        String id = base;
        candidates.add(id);
        for (int i = 0; i < MAX_SUFFIXES; i++) {
            String stripped = SUFFIX.matcher(id).replaceFirst("");
            if (stripped.equals(id) || stripped.isEmpty()) {
                break;
            }
            id = stripped;
            candidates.add(id);
        }
        int withPrefix = candidates.size();
        for (int i = 0; i < withPrefix; i++) {
            String unprefixed = stripRegionPrefix(candidates.get(i));
            if (unprefixed != null) {
                candidates.add(unprefixed);
            }
        }
        return candidates;
    }

    /** The model id an id, ARN or LiteLLM string names, lower case; {@code null} when it names none. */
    static String baseId(String modelId) {
        if (modelId == null) {
            return null;
        }
        String id = modelId.strip().toLowerCase(Locale.ROOT);
        for (String prefix : LITELLM_PREFIXES) {
            if (id.startsWith(prefix)) {
                id = id.substring(prefix.length());
                break;
            }
        }
        if (id.startsWith("arn:")) {
            id = fromArn(id);
        }
        return id == null || id.isEmpty() ? null : id;
    }

    /** {@code arn:partition:bedrock:region:account:resource-type/resource-id} to the resource id, if a model. */
    private static String fromArn(String arn) {
        int colons = 0;
        int resourceStart = -1;
        for (int i = 0; i < arn.length(); i++) {
            if (arn.charAt(i) == ':' && ++colons == 5) {
                resourceStart = i + 1;
                break;
            }
        }
        if (resourceStart < 0) {
            return null;
        }
        String resource = arn.substring(resourceStart);
        for (String type : MODEL_RESOURCES) {
            if (resource.startsWith(type)) {
                return resource.substring(type.length());
            }
        }
        return null;
    }

    private static String stripRegionPrefix(String id) {
        for (String prefix : REGION_PREFIXES) {
            if (id.startsWith(prefix) && id.length() > prefix.length()) {
                return id.substring(prefix.length());
            }
        }
        return null;
    }
}
