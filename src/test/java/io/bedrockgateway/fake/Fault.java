package io.bedrockgateway.fake;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What to do wrong for a request: an immutable combination of an error response, delays, a cut, a mid-stream
 * exception frame and a big stream. Combine with {@link #and(Fault)}, e.g.
 * {@code Fault.slowHead(Duration.ofSeconds(2)).and(Fault.throttling())}.
 *
 * <p>Faults apply only to requests that authenticated and matched an operation; a gateway signing bug is never
 * masked by an injected fault. "Frames" are event-stream frames; on a non-streaming response a cut happens after
 * the head and half of the body. Immutable and thread-safe.
 */
public final class Fault {
    static final Fault NONE = new Fault(null, null, 0, -1, false, 0, -1, 0, -1, null, null, false, false, 0);

    final AwsError error;
    final String retryAfter;
    final long headDelayMs;
    final int cutAfterFrames;
    final boolean reset;
    final long frameDelayMs;
    final long bigStreamBytes;
    final int bigFrameSize;
    final int exceptionAfterFrames;
    final String exceptionType;
    final String exceptionMessage;
    final boolean closeBeforeHead;
    final boolean cutInsideFrame;
    final long firstFrameDelayMs;

    private Fault(AwsError error, String retryAfter, long headDelayMs, int cutAfterFrames, boolean reset,
                  long frameDelayMs, long bigStreamBytes, int bigFrameSize, int exceptionAfterFrames,
                  String exceptionType, String exceptionMessage, boolean closeBeforeHead, boolean cutInsideFrame,
                  long firstFrameDelayMs) {
        this.error = error;
        this.retryAfter = retryAfter;
        this.headDelayMs = headDelayMs;
        this.cutAfterFrames = cutAfterFrames;
        this.reset = reset;
        this.frameDelayMs = frameDelayMs;
        this.bigStreamBytes = bigStreamBytes;
        this.bigFrameSize = bigFrameSize;
        this.exceptionAfterFrames = exceptionAfterFrames;
        this.exceptionType = exceptionType;
        this.exceptionMessage = exceptionMessage;
        this.closeBeforeHead = closeBeforeHead;
        this.cutInsideFrame = cutInsideFrame;
        this.firstFrameDelayMs = firstFrameDelayMs;
    }

    /** Answer with this status, {@code x-amzn-ErrorType} and message instead of the real response. */
    public static Fault error(int status, String errorType, String message) {
        return NONE.with(new AwsError(status, errorType, message), null);
    }

    /** {@link #error(int, String, String)} with a generic message. */
    public static Fault error(int status, String errorType) {
        return error(status, errorType, "Injected " + errorType);
    }

    /** 429 {@code ThrottlingException}, "Too many requests, please wait before trying again.". */
    public static Fault throttling() {
        return error(429, "ThrottlingException", "Too many requests, please wait before trying again.");
    }

    /** 500 {@code InternalServerException}. */
    public static Fault internalError() {
        return error(500, "InternalServerException", "The server encountered an internal error.");
    }

    /** 503 {@code ServiceUnavailableException}. */
    public static Fault serviceUnavailable() {
        return error(503, "ServiceUnavailableException", "Bedrock is unable to process your request.");
    }

    /** 400 {@code ValidationException} with the given message. */
    public static Fault validation(String message) {
        return error(400, "ValidationException", message);
    }

    /** Delay before the status line is written. */
    public static Fault slowHead(Duration delay) {
        return new Fault(null, null, delay.toMillis(), -1, false, 0, -1, 0, -1, null, null, false, false, 0);
    }

    /** Write {@code frames} frames, then close the socket without the terminating chunk (FIN). */
    public static Fault cutAfterFrames(int frames) {
        return new Fault(null, null, 0, requireNonNegative(frames), false, 0, -1, 0, -1, null, null, false, false, 0);
    }

    /**
     * Write {@code frames} whole frames and the first half of the next one (as its own HTTP chunk), then close
     * (FIN): the stream ends inside an event-stream frame.
     */
    public static Fault cutInsideFrame(int frames) {
        return new Fault(null, null, 0, requireNonNegative(frames), false, 0, -1, 0, -1, null, null, false, true, 0);
    }

    /** Write {@code frames} frames, then reset the connection (RST, SO_LINGER 0). */
    public static Fault resetAfterFrames(int frames) {
        return new Fault(null, null, 0, requireNonNegative(frames), true, 0, -1, 0, -1, null, null, false, false, 0);
    }

    /**
     * Wait {@code perFrame} before each frame after the first; a non-streaming body is written in four slices with
     * this delay between them.
     */
    public static Fault slowStream(Duration perFrame) {
        return new Fault(null, null, 0, -1, false, perFrame.toMillis(), -1, 0, -1, null, null, false, false, 0);
    }

    /**
     * Replace the text deltas of a streaming response with identical filler frames of about {@code frameSize} bytes
     * each, so the whole stream is at least {@code totalBytes}; the final usage frames stay as configured.
     */
    public static Fault bigStream(long totalBytes, int frameSize) {
        if (totalBytes <= 0 || frameSize < 256) {
            throw new IllegalArgumentException("totalBytes must be positive and frameSize at least 256");
        }
        return new Fault(null, null, 0, -1, false, 0, totalBytes, frameSize, -1, null, null, false, false, 0);
    }

    /**
     * After {@code frames} frames, send a well-formed exception frame ({@code :message-type: exception}) and end
     * the stream cleanly. {@code exceptionType} is the event name, e.g. {@code throttlingException},
     * {@code modelStreamErrorException}, {@code internalServerException}.
     */
    public static Fault streamException(int frames, String exceptionType, String message) {
        return new Fault(null, null, 0, -1, false, 0, -1, 0, requireNonNegative(frames),
                Objects.requireNonNull(exceptionType), Objects.requireNonNull(message), false, false, 0);
    }

    /** Send the head of a stream at once, then wait {@code delay} before its first frame. */
    public static Fault slowFirstFrame(Duration delay) {
        return new Fault(null, null, 0, -1, false, 0, -1, 0, -1, null, null, false, false, delay.toMillis());
    }

    /** Read the request, then close the connection without writing any response byte. */
    public static Fault closeBeforeHead() {
        return new Fault(null, null, 0, -1, false, 0, -1, 0, -1, null, null, true, false, 0);
    }

    /** This error fault with a {@code Retry-After} header (seconds, as text). */
    public Fault withRetryAfter(String seconds) {
        return with(error, Objects.requireNonNull(seconds));
    }

    /** A fault doing both; where both set the same aspect, {@code other} wins. */
    public Fault and(Fault other) {
        return new Fault(other.error != null ? other.error : error,
                other.retryAfter != null ? other.retryAfter : retryAfter,
                Math.max(headDelayMs, other.headDelayMs),
                other.cutAfterFrames >= 0 ? other.cutAfterFrames : cutAfterFrames,
                other.cutAfterFrames >= 0 ? other.reset : reset,
                Math.max(frameDelayMs, other.frameDelayMs),
                other.bigStreamBytes > 0 ? other.bigStreamBytes : bigStreamBytes,
                other.bigStreamBytes > 0 ? other.bigFrameSize : bigFrameSize,
                other.exceptionAfterFrames >= 0 ? other.exceptionAfterFrames : exceptionAfterFrames,
                other.exceptionType != null ? other.exceptionType : exceptionType,
                other.exceptionMessage != null ? other.exceptionMessage : exceptionMessage,
                closeBeforeHead || other.closeBeforeHead,
                other.cutAfterFrames >= 0 ? other.cutInsideFrame : cutInsideFrame,
                Math.max(firstFrameDelayMs, other.firstFrameDelayMs));
    }

    /**
     * Parses the {@code x-fake-fault} header: comma-separated items among {@code 400}, {@code 429}, {@code 500},
     * {@code 503} (or any status, typed by {@link #typeFor(int)}), {@code slow-head:<ms>}, {@code cut-after:<n>},
     * {@code cut-inside:<n>}, {@code reset-after:<n>}, {@code slow-stream:<ms>}, {@code big-stream:<bytes>:<frameSize>},
     * {@code exception-after:<n>:<type>}, {@code close}.
     *
     * @throws IllegalArgumentException on anything else
     */
    public static Fault parseHeader(String value) {
        Fault fault = NONE;
        for (String item : value.split(",")) {
            String[] p = item.strip().toLowerCase(Locale.ROOT).split(":");
            fault = fault.and(switch (p[0]) {
                case "slow-head" -> slowHead(Duration.ofMillis(Long.parseLong(p[1])));
                case "cut-after" -> cutAfterFrames(Integer.parseInt(p[1]));
                case "reset-after" -> resetAfterFrames(Integer.parseInt(p[1]));
                case "cut-inside" -> cutInsideFrame(Integer.parseInt(p[1]));
                case "slow-stream" -> slowStream(Duration.ofMillis(Long.parseLong(p[1])));
                case "big-stream" -> bigStream(Long.parseLong(p[1]), Integer.parseInt(p[2]));
                case "exception-after" -> streamException(Integer.parseInt(p[1]),
                        item.strip().split(":")[2], "Injected " + item.strip().split(":")[2]);
                case "close" -> closeBeforeHead();
                default -> {
                    int status = Integer.parseInt(p[0]);
                    yield status == 429 ? throttling() : error(status, typeFor(status));
                }
            });
        }
        return fault;
    }

    /** The Bedrock error type the fake uses for a bare status in {@code x-fake-fault}. */
    static String typeFor(int status) {
        return switch (status) {
            case 400 -> "ValidationException";
            case 403 -> "AccessDeniedException";
            case 404 -> "ResourceNotFoundException";
            case 408 -> "ModelTimeoutException";
            case 424 -> "ModelErrorException";
            case 429 -> "ThrottlingException";
            case 503 -> "ServiceUnavailableException";
            default -> status >= 500 ? "InternalServerException" : "ValidationException";
        };
    }

    private Fault with(AwsError newError, String newRetryAfter) {
        return new Fault(newError, newRetryAfter, headDelayMs, cutAfterFrames, reset, frameDelayMs, bigStreamBytes,
                bigFrameSize, exceptionAfterFrames, exceptionType, exceptionMessage, closeBeforeHead, cutInsideFrame, firstFrameDelayMs);
    }

    private static int requireNonNegative(int frames) {
        if (frames < 0) {
            throw new IllegalArgumentException("frames must not be negative");
        }
        return frames;
    }

    @Override
    public String toString() {
        return "Fault[" + (error != null ? error.status() + " " + error.type() + " " : "")
                + (headDelayMs > 0 ? "slowHead=" + headDelayMs + "ms " : "")
                + (cutAfterFrames >= 0 ? (reset ? "resetAfter=" : cutInsideFrame ? "cutInside=" : "cutAfter=") + cutAfterFrames + " " : "")
                + (frameDelayMs > 0 ? "frameDelay=" + frameDelayMs + "ms " : "")
                + (bigStreamBytes > 0 ? "bigStream=" + bigStreamBytes + "/" + bigFrameSize + " " : "")
                + (exceptionType != null ? "exceptionAfter=" + exceptionAfterFrames + ":" + exceptionType + " " : "")
                + (closeBeforeHead ? "closeBeforeHead" : "") + "]";
    }
}
