package io.bedrockgateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockgateway.auth.KeyVerifier;
import io.bedrockgateway.keys.KeyHashing;
import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.keys.VirtualKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LiteLLM's key routes under {@code /key/}: {@code generate}, {@code info}, {@code update}, {@code delete},
 * {@code list}, {@code regenerate} (also {@code /key/{key}/regenerate}), {@code block} and {@code unblock}. See
 * {@link AdminApi} for the request and response shapes.
 *
 * <p>Thread-safe. Runs on the container thread and blocks on the repository (admin calls are rare).
 */
final class KeyApiServlet extends AdminServlet {
    static final int MAX_PAGE_SIZE = 100;
    private static final Pattern REGENERATE_PATH = Pattern.compile("/key/(.+)/regenerate");
    private static final Set<String> NO_PARAMS = Set.of();
    private static final Set<String> KEY_PARAM = Set.of("key");
    private static final Set<String> LIST_PARAMS = Set.of("page", "size", "user_id", "team_id", "key_alias",
            "return_full_object", "include_team_keys", "include_created_by_keys");

    private final transient KeyRepository keys;
    private final transient KeyOperations operations;

    KeyApiServlet(KeyVerifier master, KeyRepository keys, KeyOperations operations) {
        super(master);
        this.keys = keys;
        this.operations = operations;
    }

    @Override
    Object handle(HttpServletRequest clientRequest, HttpServletResponse clientResponse, String path)
            throws IOException {
        switch (path) {
            case "/key/generate":
                return operations.generate(post(clientRequest, NO_PARAMS));
            case "/key/info":
                requireMethod(clientRequest, "GET");
                return operations.info(QueryParams.parse(clientRequest.getQueryString(), KEY_PARAM).get("key"));
            case "/key/update":
                return operations.update(post(clientRequest, NO_PARAMS));
            case "/key/delete":
                return delete(post(clientRequest, NO_PARAMS));
            case "/key/list":
                requireMethod(clientRequest, "GET");
                return list(QueryParams.parse(clientRequest.getQueryString(), LIST_PARAMS));
            case "/key/regenerate":
                JsonNode body = post(clientRequest, KEY_PARAM);
                return operations.regenerate(null, queryKey(clientRequest), body);
            case "/key/block":
                return operations.setBlocked(post(clientRequest, NO_PARAMS), true);
            case "/key/unblock":
                return operations.setBlocked(post(clientRequest, NO_PARAMS), false);
            default:
                Matcher regenerate = REGENERATE_PATH.matcher(path);
                if (regenerate.matches()) {
                    JsonNode regenerateBody = post(clientRequest, KEY_PARAM);
                    return operations.regenerate(regenerate.group(1), queryKey(clientRequest), regenerateBody);
                }
                throw unknownRoute(clientRequest, path);
        }
    }

    /**
     * {@code {"keys": [...], "key_aliases": [...]}}: all named keys, or none when any is unknown (404 listing the
     * unknown ones).
     */
    private Map<String, Object> delete(JsonNode body) {
        List<String> others = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!"keys".equals(name) && !"key_aliases".equals(name)) {
                others.add(name);
            }
        });
        if (!others.isEmpty()) {
            throw AdminException.badRequest(others.get(0), others.get(0)
                    + " is not a known field; this route takes keys and key_aliases");
        }
        List<String> references = strings(body, "keys");
        List<String> aliases = strings(body, "key_aliases");
        if (references.isEmpty() && aliases.isEmpty()) {
            throw AdminException.badRequest("keys", "keys is required: a list of keys (sk-...) or tokens, "
                    + "or key_aliases: a list of aliases");
        }
        Set<String> tokens = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        String missingParam = null;
        for (String reference : references) {
            Optional<VirtualKey> key = keys.findByHash(KeyHashing.tokenOf(reference));
            key.ifPresent(k -> tokens.add(k.tokenHash()));
            if (key.isEmpty()) {
                missing.add(KeyOperations.display(reference));
                missingParam = missingParam == null ? "keys" : missingParam;
            }
        }
        for (String alias : aliases) {
            Optional<VirtualKey> key = keys.findByAlias(alias);
            key.ifPresent(k -> tokens.add(k.tokenHash()));
            if (key.isEmpty()) {
                missing.add(alias);
                missingParam = missingParam == null ? "key_aliases" : missingParam;
            }
        }
        if (!missing.isEmpty()) {
            throw AdminException.notFound(missingParam, "no such keys, nothing was deleted: "
                    + String.join(", ", missing));
        }
        keys.delete(tokens);
        tokens.forEach(operations::changed);
        List<String> deleted = new ArrayList<>(references);
        deleted.addAll(aliases);
        return Map.of("deleted_keys", deleted);
    }

    /** Paged, newest first; tokens, or whole key objects with {@code return_full_object=true}. */
    private Map<String, Object> list(QueryParams query) {
        int page = query.intValue("page", 1, 1, Integer.MAX_VALUE);
        int size = query.intValue("size", 10, 1, MAX_PAGE_SIZE);
        long offset = (long) (page - 1) * size;
        if (offset > Integer.MAX_VALUE) {
            throw AdminException.badRequest("page", "page is too large for this size");
        }
        boolean full = query.booleanValue("return_full_object", false);
        // Accepted for LiteLLM's clients; the master key sees every key anyway.
        query.booleanValue("include_team_keys", false);
        query.booleanValue("include_created_by_keys", false);
        String userId = query.get("user_id");
        String teamId = query.get("team_id");
        String alias = query.get("key_alias");
        long total = keys.count(userId, teamId, alias);
        List<Object> listed = new ArrayList<>();
        for (VirtualKey key : keys.list(userId, teamId, alias, (int) offset, size)) {
            listed.add(full ? KeyView.info(key) : key.tokenHash());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("keys", listed);
        answer.put("total_count", total);
        answer.put("current_page", page);
        answer.put("total_pages", (total + size - 1) / size);
        return answer;
    }

    private static JsonNode post(HttpServletRequest clientRequest, Set<String> queryParams) throws IOException {
        requireMethod(clientRequest, "POST");
        QueryParams.parse(clientRequest.getQueryString(), queryParams);
        return AdminJson.readObject(clientRequest);
    }

    private static String queryKey(HttpServletRequest clientRequest) {
        return QueryParams.parse(clientRequest.getQueryString(), KEY_PARAM).get("key");
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw AdminException.badRequest(field, field + " must be an array of strings, not "
                    + AdminJson.describe(node));
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual() || item.textValue().isBlank()) {
                throw AdminException.badRequest(field, field + " [" + i + "] must be a non-empty string");
            }
            values.add(item.textValue());
        }
        return values;
    }
}
