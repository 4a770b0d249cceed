package io.bedrockgateway.config;

import io.bedrockgateway.upstream.CredentialsFactory;
import io.bedrockgateway.upstream.CredentialsSource;
import io.bedrockgateway.upstream.CredentialsSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps credentials sources alive across config reloads: a load asks {@link #begin()} for a factory that hands back
 * the live source of an unchanged {@link CredentialsSpec} (so its cached credentials and STS client survive an
 * unrelated edit) and creates sources only for new specs. {@link Load#commit()} makes the load's sources the live
 * generation and returns the sources no longer used; {@link Load#abandon()} closes the sources a refused load created.
 *
 * <p>Not thread-safe: {@link LiveConfig} runs one load at a time under its reload lock.
 */
final class CredentialsGenerations {
    private static final Logger LOG = Logger.getLogger(CredentialsGenerations.class.getName());

    private final CredentialsFactory delegate;
    private Map<CredentialsSpec, CredentialsSource> live = Map.of();

    CredentialsGenerations(CredentialsFactory delegate) {
        this.delegate = delegate;
    }

    Load begin() {
        return new Load();
    }

    /** The live sources (for closing at shutdown). */
    List<CredentialsSource> live() {
        return List.copyOf(live.values());
    }

    static void close(CredentialsSource source) {
        if (source instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing credentials source " + source.describe(), e);
            }
        }
    }

    /** The credentials factory of one load. */
    final class Load implements CredentialsFactory {
        private final Map<CredentialsSpec, CredentialsSource> used = new HashMap<>();

        @Override
        public CredentialsSource create(CredentialsSpec spec) {
            return used.computeIfAbsent(spec, s -> {
                CredentialsSource kept = live.get(s);
                return kept != null ? kept : delegate.create(s);
            });
        }

        /** Makes this load's sources live; returns the previous sources it no longer uses. */
        List<CredentialsSource> commit() {
            Set<CredentialsSource> stillUsed = identitySet(used.values());
            List<CredentialsSource> retired = new ArrayList<>();
            for (CredentialsSource source : live.values()) {
                if (!stillUsed.contains(source)) {
                    retired.add(source);
                }
            }
            live = Map.copyOf(used);
            return retired;
        }

        /** Closes the sources this refused load created; nothing can reference them. */
        void abandon() {
            Set<CredentialsSource> liveSources = identitySet(live.values());
            used.values().stream().filter(source -> !liveSources.contains(source))
                    .forEach(CredentialsGenerations::close);
        }
    }

    private static Set<CredentialsSource> identitySet(Iterable<CredentialsSource> sources) {
        Set<CredentialsSource> set = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        sources.forEach(set::add);
        return set;
    }
}
