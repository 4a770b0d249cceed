package io.bedrockgateway.fake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request the fake received, as it was on the wire, with what the fake concluded about it and a live view of
 * the response it is writing.
 *
 * <p>Thread-safe. The request side is immutable; {@link #responseStatus()}, {@link #responseBytesWritten()} and
 * {@link #outcome()} change while the connection thread writes the response.
 */
public final class RecordedRequest {
    /** How the request authenticated. */
    public enum AuthType { SIGV4, BEARER, NONE }

    /** What became of the response. */
    public enum Outcome {
        /** Still being written (or not yet started). */
        PENDING,
        /** Completely written (including the terminating chunk of a stream). */
        COMPLETED,
        /** Deliberately cut by a fault: closed or reset without completing the response. */
        CUT,
        /** Writing failed because the peer went away. */
        PEER_GONE
    }

    private final long sequence;
    private final Instant receivedAt;
    private final RawRequest raw;
    private final Operation operation;
    private final String modelId;
    private final AuthResult auth;
    private final String requestId;
    private final AtomicLong bytesWritten = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile int responseStatus;
    private volatile Outcome outcome = Outcome.PENDING;

    RecordedRequest(long sequence, Instant receivedAt, RawRequest raw, Route route, AuthResult auth,
                    String requestId) {
        this.sequence = sequence;
        this.receivedAt = receivedAt;
        this.raw = raw;
        this.operation = route == null ? null : route.operation();
        this.modelId = route == null ? null : route.modelId();
        this.auth = auth;
        this.requestId = requestId;
    }

    /** Arrival order across the whole fake, starting at 1. */
    public long sequence() {
        return sequence;
    }

    /** When the request head and body had been read, by the fake's clock. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** Which TCP connection carried the request (numbered from 1 per fake); equal ids prove keep-alive reuse. */
    public long connectionId() {
        return raw.connectionId();
    }

    /** The HTTP method. */
    public String method() {
        return raw.method();
    }

    /** The request target exactly as on the wire, e.g. {@code /model/a.b-v1%3A0/converse}. */
    public String target() {
        return raw.target();
    }

    /** The path part of {@link #target()}, still percent-encoded. */
    public String rawPath() {
        return raw.rawPath();
    }

    /** The query part of {@link #target()} without {@code ?}, or the empty string. */
    public String rawQuery() {
        return raw.rawQuery();
    }

    /** All headers in arrival order, duplicates kept, names as sent. */
    public List<Map.Entry<String, String>> headers() {
        return raw.headers();
    }

    /** The first value of a header (name case-insensitive), or {@code null}. */
    public String header(String name) {
        return raw.header(name);
    }

    /** Every value of a header (name case-insensitive), in arrival order. */
    public List<String> headerValues(String name) {
        return raw.headerValues(name);
    }

    /** Whether any header of that name (case-insensitive) arrived. */
    public boolean hasHeader(String name) {
        return raw.header(name) != null;
    }

    /** A copy of the request body (de-chunked). */
    public byte[] body() {
        return raw.body().clone();
    }

    /** The request body decoded as UTF-8. */
    public String bodyAsString() {
        return new String(raw.body(), StandardCharsets.UTF_8);
    }

    /** {@code bedrock-runtime} or {@code bedrock-agent-runtime}, or {@code null} for an unknown route. */
    public String service() {
        return operation == null ? null : operation.service();
    }

    /** The AWS operation name, e.g. {@code ConverseStream}, or {@code null} for an unknown route. */
    public String operation() {
        return operation == null ? null : operation.awsName();
    }

    /** The decoded model id or ARN from a {@code /model/{modelId}/...} path, or {@code null}. */
    public String modelId() {
        return modelId;
    }

    /** How the request authenticated (or tried to). */
    public AuthType authType() {
        return auth.type();
    }

    /** Whether authentication succeeded (SigV4 signature verified, or a known bearer token). */
    public boolean signatureValid() {
        return auth.ok();
    }

    /** The region from the SigV4 credential scope, or {@code null}. */
    public String region() {
        return auth.region();
    }

    /** The access key id from the SigV4 credential scope, or {@code null}. */
    public String accessKeyId() {
        return auth.accessKeyId();
    }

    /** The service name from the SigV4 credential scope, or {@code null}. */
    public String signingService() {
        return auth.service();
    }

    /** The authentication error sent back, e.g. {@code InvalidSignatureException}, or {@code null}. */
    public String authErrorType() {
        return auth.error() == null ? null : auth.error().type();
    }

    /** The {@code x-amzn-RequestId} the fake sent back. */
    public String requestId() {
        return requestId;
    }

    /** The status of the response, or 0 while no status line has been written. */
    public int responseStatus() {
        return responseStatus;
    }

    /** Bytes of the response (head included) the fake's socket writes have accepted so far. */
    public long responseBytesWritten() {
        return bytesWritten.get();
    }

    /** What became of the response so far. */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * Waits until the response is finished one way or another.
     *
     * @return the outcome, or {@link Outcome#PENDING} if the timeout elapsed first
     */
    public Outcome awaitOutcome(Duration timeout) throws InterruptedException {
        done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return outcome;
    }

    void responseStatus(int status) {
        this.responseStatus = status;
    }

    void addBytesWritten(long n) {
        bytesWritten.addAndGet(n);
    }

    void finish(Outcome result) {
        if (outcome == Outcome.PENDING) {
            outcome = result;
        }
        done.countDown();
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + raw.method() + " " + raw.target() + " op=" + operation() + " auth=" + auth.type()
                + (auth.ok() ? "" : "(" + authErrorType() + ")") + " region=" + auth.region() + " status="
                + responseStatus + " " + outcome;
    }
}
