package io.bedrockgateway.fake;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The fake's mutable configuration. Thread-safe: every field is volatile or a concurrent collection, so tests may
 * change settings while requests are in flight (a request sees each setting as of the moment it reads it).
 */
final class FakeSettings {
    /** A Bedrock model id, alias-like id, or ARN; anything else is "The provided model identifier is invalid.". */
    private static final Pattern MODEL_ID = Pattern.compile(
            "arn:aws(-[a-z]+)*:bedrock:[a-z0-9-]{1,20}:[0-9]{0,12}:[a-z-]+/[A-Za-z0-9._:/-]{1,2048}"
                    + "|[A-Za-z0-9][A-Za-z0-9._:-]{0,255}");

    final Map<String, SigV4Verifier.Credential> credentials = new ConcurrentHashMap<>();
    final Set<String> bearerTokens = ConcurrentHashMap.newKeySet();
    final Set<String> unknownModels = ConcurrentHashMap.newKeySet();
    final Map<String, Usage> usageByModel = new ConcurrentHashMap<>();
    volatile String region;
    volatile Clock clock = Clock.systemUTC();
    volatile Usage usage = Usage.DEFAULT;
    volatile String responseText = FakeBedrock.DEFAULT_RESPONSE_TEXT;
    volatile int streamDeltas = FakeBedrock.DEFAULT_STREAM_DELTAS;
    volatile int latencyMs = FakeBedrock.DEFAULT_LATENCY_MS;
    volatile int firstByteLatencyMs = FakeBedrock.DEFAULT_FIRST_BYTE_LATENCY_MS;
    volatile int sendBufferSize;

    /** The usage reported for a model id (decoded, as in the path), falling back to the global setting. */
    Usage usageFor(String modelId) {
        Usage specific = modelId == null ? null : usageByModel.get(modelId);
        return specific != null ? specific : usage;
    }

    /** Whether Bedrock would reject this model identifier. */
    boolean invalidModel(String modelId) {
        return modelId == null || unknownModels.contains(modelId) || !MODEL_ID.matcher(modelId).matches();
    }

    /**
     * The response text cut into {@code streamDeltas} contiguous pieces whose concatenation is the text (pieces
     * may be empty when there are more deltas than characters).
     */
    List<String> deltas() {
        String text = responseText;
        int n = streamDeltas;
        List<String> pieces = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pieces.add(text.substring((int) ((long) i * text.length() / n), (int) ((long) (i + 1) * text.length() / n)));
        }
        return pieces;
    }

    void responseText(String text, int deltas) {
        if (deltas < 1) {
            throw new IllegalArgumentException("deltas must be at least 1");
        }
        this.responseText = Objects.requireNonNull(text);
        this.streamDeltas = deltas;
    }
}
