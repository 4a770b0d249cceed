package io.bedrockgateway.spend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Bedrock on-demand prices by model, from the genai-prices data bundled as {@code /pricing/bedrock-prices.json}
 * (see {@code NOTICE.md} beside it for attribution and how to refresh it).
 *
 * <p>{@link #lookup} accepts a model id, a cross-region inference-profile id, a foundation-model or inference-profile
 * ARN, or a LiteLLM {@code bedrock/...} string. It applies the file's match rules as written; when several models
 * match, the most specific rule wins ({@link MatchRule}); when none matches the id as given, it retries without the
 * context-window suffix, the version suffix and the cross-region prefix, in that order ({@link ModelIds}). A model
 * with dated prices gets those in effect on the clock's current UTC date.
 *
 * <p>Thread-safe: immutable apart from a bounded lookup cache ({@link ConcurrentHashMap}); lookups are meant for
 * the request path and do no I/O.
 */
public final class PriceTable {
    /** The bundled resource. */
    public static final String RESOURCE = "/pricing/bedrock-prices.json";
    /** Client-chosen ids reach the cache, so it stops growing here; lookups past it are computed each time. */
    static final int MAX_CACHED_IDS = 4096;

    private final List<Entry> entries;
    private final Clock clock;
    private final ConcurrentMap<String, Optional<Entry>> cache = new ConcurrentHashMap<>();

    PriceTable(List<Entry> entries, Clock clock) {
        this.entries = List.copyOf(entries);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The bundled table, read once per class loader. */
    public static PriceTable loadDefault() {
        return DefaultHolder.TABLE;
    }

    /**
     * Reads a table in the genai-prices format.
     *
     * @param clock selects dated prices
     * @throws IOException              when the stream cannot be read or is not JSON
     * @throws IllegalArgumentException when the document has a shape or rule this class does not understand
     */
    public static PriceTable read(InputStream json, Clock clock) throws IOException {
        return new PriceTable(PriceTableParser.parse(json), clock);
    }

    /** The price of the model the id names, if the table knows it. */
    public Optional<ModelPrice> lookup(String modelId) {
        if (modelId == null) {
            return Optional.empty();
        }
        Optional<Entry> entry = cache.get(modelId);
        if (entry == null) {
            entry = find(modelId);
            if (cache.size() < MAX_CACHED_IDS) {
                cache.putIfAbsent(modelId, entry);
            }
        }
        return entry.map(e -> e.priceOn(LocalDate.now(clock.withZone(ZoneOffset.UTC))));
    }

    /** The table's model id (its {@code id} field) the id resolves to, if any. */
    public Optional<String> resolve(String modelId) {
        return modelId == null ? Optional.empty() : find(modelId).map(Entry::id);
    }

    /** Number of models in the table. */
    public int size() {
        return entries.size();
    }

    List<Entry> entries() {
        return entries;
    }

    private Optional<Entry> find(String modelId) {
        for (String candidate : ModelIds.candidates(modelId)) {
            Entry best = null;
            int bestScore = MatchRule.NO_MATCH;
            for (Entry entry : entries) {
                int score = entry.rule().score(candidate);
                if (score > bestScore) {
                    best = entry;
                    bestScore = score;
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }

    /** One model of the table: its id, match rule and price schedule. Immutable. */
    record Entry(String id, MatchRule rule, List<Dated> schedule) {
        Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(rule, "rule");
            schedule = List.copyOf(schedule);
            if (schedule.isEmpty()) {
                throw new IllegalArgumentException("no prices");
            }
        }

        /** As genai-prices: the last entry whose start date has come, else the first. */
        ModelPrice priceOn(LocalDate date) {
            for (int i = schedule.size() - 1; i >= 0; i--) {
                LocalDate start = schedule.get(i).startDate();
                if (start == null || !date.isBefore(start)) {
                    return schedule.get(i).price();
                }
            }
            return schedule.get(0).price();
        }
    }

    /** A price and the UTC date from which it applies ({@code null}: always). Immutable. */
    record Dated(LocalDate startDate, ModelPrice price) {
        Dated {
            Objects.requireNonNull(price, "price");
        }
    }

    private static final class DefaultHolder {
        static final PriceTable TABLE = readDefault();

        private static PriceTable readDefault() {
            try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("price table resource " + RESOURCE + " is missing");
                }
                return read(in, Clock.systemUTC());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read price table " + RESOURCE, e);
            }
        }
    }
}
