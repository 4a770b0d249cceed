package io.bedrockgateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockgateway.auth.KeyVerifier;
import io.bedrockgateway.auth.PresentedKey;
import io.bedrockgateway.keys.KeyChangeListener;
import io.bedrockgateway.keys.KeyHashing;
import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.keys.VirtualKey;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * What the key routes do, in terms of {@link KeyRepository}. Every request is validated completely, and every
 * check against stored keys is made, before the first write, so a rejected request writes nothing. After each
 * write the {@link KeyChangeListener} hears of every token that changed, appeared or went away.
 *
 * <p>Thread-safe: holds only thread-safe collaborators. Methods block on the repository.
 */
final class KeyOperations {
    private static final Logger LOG = Logger.getLogger(KeyOperations.class.getName());

    private final KeyRepository keys;
    private final KeyVerifier master;
    private final KeyChangeListener onChange;
    private final Clock clock;

    KeyOperations(KeyRepository keys, KeyVerifier master, KeyChangeListener onChange, Clock clock) {
        this.keys = keys;
        this.master = master;
        this.onChange = onChange;
        this.clock = clock;
    }

    Map<String, Object> generate(JsonNode body) {
        KeyCommand command = valid(KeyRequestValidator.validate(KeyRequestValidator.Kind.GENERATE, body));
        String secret = command.key() != null ? command.key() : KeyHashing.generateKey();
        String token = KeyHashing.sha256Hex(secret);
        if (command.key() != null) {
            requireUnused("key", secret, token);
        }
        requireAliasFree(command.keyAlias(), null);
        VirtualKey key = command.create(token, KeyHashing.maskedName(secret), clock.instant());
        try {
            keys.insert(key);
        } catch (KeyRepository.DuplicateKeyException e) {
            throw duplicate(key);
        }
        changed(token);
        LOG.info(() -> "admin: generated key " + key.keyName() + " token " + shortToken(token) + " alias "
                + key.keyAlias());
        return KeyView.generated(secret, key, command.duration());
    }

    Map<String, Object> info(String reference) {
        if (reference == null) {
            throw AdminException.badRequest("key", "key is required: ?key=<sk-... or token>");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("key", reference);
        answer.put("info", KeyView.info(find(reference, "key")));
        return answer;
    }

    Map<String, Object> update(JsonNode body) {
        KeyCommand command = valid(KeyRequestValidator.validate(KeyRequestValidator.Kind.UPDATE, body));
        VirtualKey existing = find(command.key(), "key");
        VirtualKey updated = applySettings(command, existing, clock.instant());
        changed(existing.tokenHash());
        LOG.info(() -> "admin: updated key " + existing.keyName() + " token " + shortToken(existing.tokenHash())
                + ": " + command.present());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("key", command.key());
        answer.putAll(KeyView.info(keys.findByHash(existing.tokenHash()).orElse(updated)));
        return answer;
    }

    Map<String, Object> regenerate(String pathKey, String queryKey, JsonNode body) {
        KeyCommand command = valid(KeyRequestValidator.validate(KeyRequestValidator.Kind.REGENERATE, body));
        Map<String, String> namedByToken = new LinkedHashMap<>();
        for (String reference : new String[]{pathKey, command.key(), queryKey}) {
            if (reference != null) {
                namedByToken.putIfAbsent(KeyHashing.tokenOf(reference), reference);
            }
        }
        if (namedByToken.size() != 1) {
            throw AdminException.badRequest("key", namedByToken.isEmpty() ? "key is required: the key (sk-...) or"
                    + " token to regenerate" : "key names different keys in the path, the body and the query");
        }
        VirtualKey existing = find(namedByToken.values().iterator().next(), "key");
        String secret = command.newKey() != null ? command.newKey() : KeyHashing.generateKey();
        String newToken = KeyHashing.sha256Hex(secret);
        if (command.newKey() != null) {
            requireUnused("new_key", secret, newToken);
        }
        // Settings first: should the rehash then fail, the old key still works and the call can be retried.
        VirtualKey current = command.changesSettings() ? applySettings(command, existing, clock.instant()) : existing;
        String newName = KeyHashing.maskedName(secret);
        boolean moved;
        try {
            moved = keys.rehash(existing.tokenHash(), newToken, newName);
        } catch (KeyRepository.DuplicateKeyException e) {
            throw AdminException.badRequest("new_key", "new_key exists already");
        }
        if (!moved) {
            throw AdminException.notFound("key", "the key was deleted meanwhile");
        }
        changed(existing.tokenHash());
        changed(newToken);
        LOG.info(() -> "admin: regenerated key " + existing.keyName() + " token " + shortToken(existing.tokenHash())
                + " as " + newName + " token " + shortToken(newToken));
        // The new secret must reach the caller even if the key changes again before it is read back.
        VirtualKey stored = keys.findByHash(newToken).orElseGet(() -> moved(current, newToken, newName));
        return KeyView.generated(secret, stored, command.duration());
    }

    Map<String, Object> setBlocked(JsonNode body, boolean blocked) {
        String reference = onlyKeyField(body);
        VirtualKey existing = find(reference, "key");
        if (existing.blocked() == blocked) {
            return KeyView.info(existing);
        }
        VirtualKey changedKey = new VirtualKey(existing.tokenHash(), existing.keyName(), existing.keyAlias(),
                existing.models(), existing.maxBudget(), existing.budgetDuration(), existing.budgetResetAt(),
                existing.softBudget(), existing.rpmLimit(), existing.tpmLimit(), existing.maxParallelRequests(),
                existing.expiresAt(), existing.userId(), existing.teamId(), existing.metadata(), blocked,
                existing.spend(), existing.createdAt(), clock.instant());
        if (!keys.updateSettings(changedKey)) {
            throw AdminException.notFound("key", "the key was deleted meanwhile");
        }
        changed(existing.tokenHash());
        LOG.info(() -> "admin: " + (blocked ? "blocked" : "unblocked") + " key " + existing.keyName() + " token "
                + shortToken(existing.tokenHash()));
        return KeyView.info(keys.findByHash(existing.tokenHash()).orElse(changedKey));
    }

    private static VirtualKey moved(VirtualKey k, String token, String name) {
        return new VirtualKey(token, name, k.keyAlias(), k.models(), k.maxBudget(), k.budgetDuration(),
                k.budgetResetAt(), k.softBudget(), k.rpmLimit(), k.tpmLimit(), k.maxParallelRequests(),
                k.expiresAt(), k.userId(), k.teamId(), k.metadata(), k.blocked(), k.spend(), k.createdAt(),
                k.updatedAt());
    }

    /** Validates the merged settings, then writes them. @return the key as written */
    private VirtualKey applySettings(KeyCommand command, VirtualKey existing, Instant now) {
        VirtualKey updated = command.applyTo(existing, now);
        List<KeyRequestValidator.FieldError> budgetErrors =
                KeyRequestValidator.checkBudgets(updated.maxBudget(), updated.softBudget());
        if (!budgetErrors.isEmpty()) {
            String param = command.has(KeyField.SOFT_BUDGET) ? "soft_budget" : "max_budget";
            throw AdminException.badRequest(param, "soft_budget (" + updated.softBudget().toPlainString()
                    + ") must not be more than max_budget (" + updated.maxBudget().toPlainString() + ")");
        }
        if (command.has(KeyField.KEY_ALIAS)) {
            requireAliasFree(updated.keyAlias(), existing.tokenHash());
        }
        boolean found;
        try {
            found = keys.updateSettings(updated);
        } catch (KeyRepository.DuplicateKeyException e) {
            throw aliasTaken(updated.keyAlias());
        }
        if (!found) {
            throw AdminException.notFound("key", "the key was deleted meanwhile");
        }
        return updated;
    }

    /** The key named by a key or a token. @throws AdminException 404 naming {@code param} */
    VirtualKey find(String reference, String param) {
        return keys.findByHash(KeyHashing.tokenOf(reference))
                .orElseThrow(() -> AdminException.notFound(param, "no such key: " + display(reference)));
    }

    /** A key or token for a message: keys masked, tokens as they are. */
    static String display(String reference) {
        if (reference.startsWith(KeyHashing.KEY_PREFIX)) {
            return KeyHashing.maskedName(reference);
        }
        return KeyHashing.isTokenHash(reference) ? reference : "(not a key or token)";
    }

    void changed(String token) {
        try {
            onChange.keyChanged(token);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "key change listener failed for token " + shortToken(token), e);
        }
    }

    private void requireUnused(String param, String secret, String token) {
        if (master.verify(new PresentedKey(secret, "admin", "admin")).isPresent()) {
            throw AdminException.badRequest(param, param + " must not be the master key");
        }
        if (keys.findByHash(token).isPresent()) {
            throw AdminException.badRequest(param, param + " exists already");
        }
    }

    private void requireAliasFree(String alias, String ownToken) {
        if (alias != null && keys.findByAlias(alias).filter(k -> !k.tokenHash().equals(ownToken)).isPresent()) {
            throw aliasTaken(alias);
        }
    }

    private AdminException duplicate(VirtualKey key) {
        if (key.keyAlias() != null && keys.findByAlias(key.keyAlias())
                .filter(k -> !k.tokenHash().equals(key.tokenHash())).isPresent()) {
            return aliasTaken(key.keyAlias());
        }
        return AdminException.badRequest("key", "key exists already");
    }

    private static AdminException aliasTaken(String alias) {
        return AdminException.badRequest("key_alias", "key_alias '" + alias + "' is already used by another key");
    }

    private static String onlyKeyField(JsonNode body) {
        List<String> others = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!"key".equals(name)) {
                others.add(name);
            }
        });
        if (!others.isEmpty()) {
            throw AdminException.badRequest(others.get(0), others.stream().collect(Collectors.joining(", "))
                    + ": unknown field; this route takes only key");
        }
        JsonNode key = body.get("key");
        if (key == null || !key.isTextual() || key.textValue().isBlank()) {
            throw AdminException.badRequest("key", "key is required: the key (sk-...) or its token, as a string");
        }
        return key.textValue();
    }

    static KeyCommand valid(KeyRequestValidator.Result result) {
        if (result.valid()) {
            return result.command();
        }
        String message = result.errors().stream()
                .map(e -> e.param() == null ? e.message() : e.param() + " " + e.message())
                .collect(Collectors.joining("; "));
        throw AdminException.badRequest(result.errors().get(0).param(), message);
    }

    static String shortToken(String token) {
        return token.substring(0, 12);
    }
}
