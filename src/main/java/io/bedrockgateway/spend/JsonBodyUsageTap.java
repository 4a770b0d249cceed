package io.bedrockgateway.spend;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Usage of a JSON (non-streamed) response: Converse, and InvokeModel.
 *
 * <p>InvokeModel first: Bedrock's {@code X-Amzn-Bedrock-Input-Token-Count}, {@code -Output-Token-Count},
 * {@code -Cache-Read-Input-Token-Count} and {@code -Cache-Write-Input-Token-Count} headers are authoritative; when
 * the input or output count is there, the body is not even collected. Otherwise the body is read in any shape
 * {@link UsageJson} knows.
 *
 * <p>The body is kept up to {@link #MAX_BODY_BYTES}. Past that only its last {@link #TAIL_BYTES} are kept (memory
 * stays bounded), and the usage is read from the last {@code "usage": {...}} object in them, where Converse and
 * Anthropic put it. A body cut short has no usage. Error answers (non-2xx) and compressed bodies are not read.
 *
 * <p>Thread-safety: as {@link UsageTap}; the body buffer is guarded by {@code this}.
 */
final class JsonBodyUsageTap implements UsageTap {
    static final int MAX_BODY_BYTES = 1 << 20;
    static final int TAIL_BYTES = 64 << 10;
    private static final Logger LOG = Logger.getLogger(JsonBodyUsageTap.class.getName());
    private static final byte[] USAGE_KEY = Bytes.ascii("\"usage\"");
    private static final String HEADER_PREFIX = "X-Amzn-Bedrock-";

    private final boolean readHeaders;
    private volatile Usage headerUsage;
    private volatile boolean ignored;
    private byte[] body = new byte[0];
    private int length;
    private boolean overflowed;
    private long received;
    private long parsedAt = -1;
    private Usage parsed = Usage.NONE;

    private JsonBodyUsageTap(boolean readHeaders) {
        this.readHeaders = readHeaders;
    }

    static JsonBodyUsageTap converse() {
        return new JsonBodyUsageTap(false);
    }

    static JsonBodyUsageTap invokeModel() {
        return new JsonBodyUsageTap(true);
    }

    @Override
    public void onHead(int status, Function<String, String> headers) {
        if (status < 200 || status > 299) {
            ignored = true;
            return;
        }
        if (headers == null) {
            return;
        }
        String encoding = headers.apply("Content-Encoding");
        ignored = encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity");
        if (readHeaders) {
            headerUsage = fromHeaders(headers);
        }
    }

    @Override
    public void onFrame(ByteBuffer frame) {
    }

    @Override
    public synchronized void onBodyChunk(ByteBuffer chunk) {
        if (ignored || headerUsage != null || chunk == null) {
            return;
        }
        ByteBuffer view = chunk.duplicate();
        received += view.remaining();
        if (!overflowed && length + view.remaining() > MAX_BODY_BYTES) {
            overflowed = true;
            compactToTail(new byte[2 * TAIL_BYTES]);
        }
        if (overflowed) {
            appendToTail(view);
        } else {
            append(view);
        }
    }

    @Override
    public Usage usage() {
        Usage fromHeaders = headerUsage;
        if (fromHeaders != null) {
            return fromHeaders;
        }
        if (ignored) {
            return Usage.NONE;
        }
        synchronized (this) {
            if (parsedAt != received) {
                parsed = parseBody();
                parsedAt = received;
            }
            return parsed;
        }
    }

    private void append(ByteBuffer view) {
        int incoming = view.remaining();
        if (length + incoming > body.length) {
            body = Arrays.copyOf(body, Math.min(MAX_BODY_BYTES, Math.max(length + incoming, body.length * 2)));
        }
        view.get(body, length, incoming);
        length += incoming;
    }

    /** Appends, keeping at least the last {@link #TAIL_BYTES} bytes seen in a buffer of twice that. */
    private void appendToTail(ByteBuffer view) {
        int incoming = view.remaining();
        if (incoming >= TAIL_BYTES) {
            view.position(view.limit() - TAIL_BYTES);
            view.get(body, 0, TAIL_BYTES);
            length = TAIL_BYTES;
            return;
        }
        if (length + incoming > body.length) {
            compactToTail(body);
        }
        view.get(body, length, incoming);
        length += incoming;
    }

    /** Moves the last {@link #TAIL_BYTES} bytes (or fewer, if fewer were kept) to the start of {@code target}. */
    private void compactToTail(byte[] target) {
        int keep = Math.min(length, TAIL_BYTES);
        System.arraycopy(body, length - keep, target, 0, keep);
        body = target;
        length = keep;
    }

    private Usage parseBody() {
        if (length == 0) {
            return Usage.NONE;
        }
        try {
            Usage usage = overflowed ? lastUsageObject() : UsageJson.fromBody(UsageJson.parse(body, 0, length));
            return usage == null ? Usage.NONE : usage;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, e, () -> "No usage in a response body of " + length + " bytes"
                    + (overflowed ? " (tail)" : ""));
            return Usage.NONE;
        }
    }

    private Usage lastUsageObject() {
        int key = Bytes.lastIndexOf(body, length, USAGE_KEY);
        while (key > 0 && body[key - 1] == '\\') {
            key = Bytes.lastIndexOf(body, key, USAGE_KEY);
        }
        if (key < 0) {
            return null;
        }
        int value = key + USAGE_KEY.length;
        while (value < length && (body[value] == ':' || Character.isWhitespace(body[value]))) {
            value++;
        }
        if (value >= length || body[value] != '{') {
            return null;
        }
        return UsageJson.fromUsageObject(UsageJson.parse(body, value, length - value));
    }

    private static Usage fromHeaders(Function<String, String> headers) {
        long input = header(headers, "Input-Token-Count");
        long output = header(headers, "Output-Token-Count");
        if (input < 0 && output < 0) {
            return null;
        }
        return new Usage(Math.max(0, input), Math.max(0, output),
                Math.max(0, header(headers, "Cache-Read-Input-Token-Count")),
                Math.max(0, header(headers, "Cache-Write-Input-Token-Count")));
    }

    private static long header(Function<String, String> headers, String name) {
        String value = headers.apply(HEADER_PREFIX + name);
        if (value == null) {
            return -1;
        }
        try {
            long count = Long.parseLong(value.strip());
            return count >= 0 ? count : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
