package io.bedrockgateway.fake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A fake AWS Bedrock (bedrock-runtime and bedrock-agent-runtime) on {@code 127.0.0.1}, port 0, plain HTTP/1.1
 * with keep-alive. It verifies SigV4 (service {@code bedrock}) independently of any SDK, answers with bodies and
 * event streams the AWS SDK for Java v2 parses, records every request as it arrived, and injects faults.
 *
 * <pre>{@code
 * try (FakeBedrock fake = new FakeBedrock()) {
 *     fake.addCredentials("AKIDFAKE", "secret").region("us-west-2").usage(100, 20, 0, 0).streamDeltas(3);
 *     fake.start();
 *     FaultRule once = fake.addFault(RequestMatcher.operation("Converse"), Fault.throttling(), 1);
 *     // ... point the gateway's deployment at fake.endpoint(), region us-west-2, key AKIDFAKE ...
 *     RecordedRequest upstream = fake.lastRequest();
 *     assertEquals("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", upstream.target());
 *     assertTrue(upstream.signatureValid());
 *     assertFalse(upstream.hasHeader("x-api-key"));
 * }
 * }</pre>
 *
 * <p>Thread-safe: configuration may change at any time (each request reads the settings current when it reads
 * them); the request log and fault rules are concurrent. Close it to stop the threads and drop connections.
 */
public final class FakeBedrock implements AutoCloseable {
    /** Text of every answer unless changed with {@link #responseText(String)}. */
    public static final String DEFAULT_RESPONSE_TEXT = "Hello from the fake Bedrock.";
    /** Number of text delta frames per stream by default. */
    public static final int DEFAULT_STREAM_DELTAS = 4;
    /** {@code latencyMs} / {@code invocationLatency} reported by default. */
    public static final int DEFAULT_LATENCY_MS = 420;
    /** {@code firstByteLatency} reported by default. */
    public static final int DEFAULT_FIRST_BYTE_LATENCY_MS = 210;

    private final FakeSettings settings = new FakeSettings();
    private final RequestLog log = new RequestLog();
    private final RequestDispatcher dispatcher = new RequestDispatcher(settings, log);
    private final FakeHttpServer server = new FakeHttpServer(dispatcher, settings);
    private volatile int port = -1;

    /** Binds 127.0.0.1 on an ephemeral port and starts serving; returns the port. */
    public int start() {
        return start(0);
    }

    /**
     * Binds 127.0.0.1 on {@code requestedPort} (0: ephemeral) and starts serving; returns the port. A fixed port is
     * only for integration tests whose gateway is configured before the test JVM runs (a port Maven reserved).
     */
    public int start(int requestedPort) {
        try {
            port = server.start(requestedPort);
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bound port; only after {@link #start()}. */
    public int port() {
        if (port < 0) {
            throw new IllegalStateException("not started");
        }
        return port;
    }

    /** {@code http://127.0.0.1:<port>}, for {@code endpointOverride} or a gateway deployment. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Accepts SigV4 requests signed with this long-term key pair. */
    public FakeBedrock addCredentials(String accessKeyId, String secretAccessKey) {
        settings.credentials.put(accessKeyId, new SigV4Verifier.Credential(secretAccessKey, null));
        return this;
    }

    /** Accepts SigV4 requests signed with these session credentials; {@code X-Amz-Security-Token} must match. */
    public FakeBedrock addCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        settings.credentials.put(accessKeyId, new SigV4Verifier.Credential(secretAccessKey, sessionToken));
        return this;
    }

    /** Accepts {@code Authorization: Bearer <token>} (a Bedrock API key) on bedrock-runtime operations. */
    public FakeBedrock addBearerToken(String token) {
        settings.bearerTokens.add(token);
        return this;
    }

    /**
     * Serves one region only, as a regional AWS endpoint does: a credential scope naming another region is refused
     * with 403 {@code InvalidSignatureException}. {@code null} (the default) accepts any region.
     */
    public FakeBedrock region(String region) {
        settings.region = region;
        return this;
    }

    /** The clock used for the five-minute signature skew check, {@code Date} headers and timestamps. */
    public FakeBedrock clock(Clock clock) {
        settings.clock = clock;
        return this;
    }

    /** Sets the usage every model reports (unless overridden per model). */
    public FakeBedrock usage(int inputTokens, int outputTokens, int cacheReadInputTokens, int cacheWriteInputTokens) {
        return usage(new Usage(inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens));
    }

    /** Sets the usage every model reports (unless overridden per model). */
    public FakeBedrock usage(Usage usage) {
        settings.usage = usage;
        return this;
    }

    /** Sets the usage reported for one model id or ARN (as decoded from the request path). */
    public FakeBedrock usageFor(String modelId, Usage usage) {
        settings.usageByModel.put(modelId, usage);
        return this;
    }

    /** The usage currently reported for {@code modelId} (or globally when {@code null}). */
    public Usage usageFor(String modelId) {
        return settings.usageFor(modelId);
    }

    /** The answer text; streams split it into {@link #streamDeltas(int)} contiguous pieces. */
    public FakeBedrock responseText(String text) {
        settings.responseText(text, settings.streamDeltas);
        return this;
    }

    /** How many text-delta frames a stream carries (at least 1). */
    public FakeBedrock streamDeltas(int deltas) {
        settings.responseText(settings.responseText, deltas);
        return this;
    }

    /** The text pieces a stream will carry with the current settings; they concatenate to the response text. */
    public List<String> expectedDeltas() {
        return settings.deltas();
    }

    /** Reported latencies ({@code latencyMs}, {@code invocationLatency}, {@code firstByteLatency}). */
    public FakeBedrock latency(int latencyMs, int firstByteLatencyMs) {
        settings.latencyMs = latencyMs;
        settings.firstByteLatencyMs = firstByteLatencyMs;
        return this;
    }

    /** Model ids answered with 400 "The provided model identifier is invalid." although well-formed. */
    public FakeBedrock unknownModels(String... modelIds) {
        settings.unknownModels.addAll(List.of(modelIds));
        return this;
    }

    /**
     * {@code SO_SNDBUF} for connections accepted from now on (0 = OS default). A small buffer makes a stalled
     * reader stall the fake's writes after fewer bytes.
     */
    public FakeBedrock sendBufferSize(int bytes) {
        settings.sendBufferSize = bytes;
        return this;
    }

    /**
     * Registers a fault. Rules are tried in registration order; the first that matches and is not used up fires.
     * A request carrying {@code x-fake-fault} uses that header instead (see {@link Fault#parseHeader(String)}).
     *
     * @param times how many requests it fires on, or {@link FaultRule#ALWAYS}
     */
    public FaultRule addFault(RequestMatcher matcher, Fault fault, int times) {
        return dispatcher.addFault(matcher, fault, times);
    }

    /** Removes every fault rule. */
    public void clearFaults() {
        dispatcher.clearFaults();
    }

    /** Every request received so far (unless cleared), in arrival order. */
    public List<RecordedRequest> requests() {
        return log.snapshot();
    }

    /** The received requests that match. */
    public List<RecordedRequest> requests(RequestMatcher matcher) {
        return log.snapshot().stream().filter(matcher::matches).toList();
    }

    /** The most recent request, or {@code null}. */
    public RecordedRequest lastRequest() {
        List<RecordedRequest> all = log.snapshot();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /**
     * Waits until at least {@code count} matching requests have arrived.
     *
     * @throws AssertionError when the timeout elapses first
     */
    public List<RecordedRequest> awaitRequests(RequestMatcher matcher, int count, Duration timeout)
            throws InterruptedException {
        List<RecordedRequest> matching = log.await(matcher, count, timeout);
        if (matching.size() < count) {
            throw new AssertionError("expected " + count + " requests within " + timeout + ", got "
                    + matching.size() + ": " + matching);
        }
        return matching;
    }

    /** Forgets the requests received so far. */
    public void clearRequests() {
        log.clear();
    }

    /**
     * Forgets requests and fault rules and restores every response setting (usage, text, deltas, latency, unknown
     * models, clock, region) to its default. Credentials, bearer tokens and the socket buffer setting are kept.
     */
    public void reset() {
        clearRequests();
        clearFaults();
        settings.usage = Usage.DEFAULT;
        settings.usageByModel.clear();
        settings.unknownModels.clear();
        settings.responseText(DEFAULT_RESPONSE_TEXT, DEFAULT_STREAM_DELTAS);
        settings.latencyMs = DEFAULT_LATENCY_MS;
        settings.firstByteLatencyMs = DEFAULT_FIRST_BYTE_LATENCY_MS;
        settings.clock = Clock.systemUTC();
        settings.region = null;
    }

    /** TCP connections accepted since start; with keep-alive this stays far below the request count. */
    public long connectionsAccepted() {
        return server.connectionsAccepted();
    }

    /** Connections currently open. */
    public int openConnections() {
        return server.openConnections();
    }

    /** Stops accepting, drops every connection, and stops the threads (waits at most 5 s). */
    @Override
    public void close() {
        server.close();
    }
}
