import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * A fast fake Bedrock runtime for the benchmark: no signature check, no request log.
 *
 * <p>{@code java BenchUpstream <delayMs>... } starts one listener on 127.0.0.1 (port 0) per delay and prints
 * {@code PORT <delayMs> <port>} for each, then {@code READY}. Each listener answers:
 * <ul>
 *   <li>a path ending in {@code /converse-stream}: 200 {@code application/vnd.amazon.eventstream}, chunked;
 *       {@code messageStart} and the first {@code contentBlockDelta} at once, then {@code -Dbench.frames} more
 *       deltas every {@code -Dbench.frameGapMs}, then {@code contentBlockStop}, {@code messageStop} and a
 *       {@code metadata} frame with usage;</li>
 *   <li>anything else: 200 with a fixed Converse JSON (with usage) after the listener's delay.</li>
 * </ul>
 * Non-blocking NIO: {@code -Dbench.loops} selector threads (default 2), each with its own timer queue, so delays
 * and frame gaps never hold a thread. Request bodies must carry {@code Content-Length}.
 *
 * <p>Thread-safety: the response bytes are immutable; a connection is owned by one event-loop thread.
 */
public final class BenchUpstream {
    private static final byte[] CONVERSE_JSON = ("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":"
            + "[{\"text\":\"Hello! How can I help you today? I am a benchmark fake, answering at once.\"}]}},"
            + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":12,\"outputTokens\":21,\"totalTokens\":33},"
            + "\"metrics\":{\"latencyMs\":120}}").getBytes(StandardCharsets.UTF_8);

    private static final int EXTRA_DELTAS = Integer.getInteger("bench.frames", 8);
    private static final long FRAME_GAP_MS = Long.getLong("bench.frameGapMs", 50);
    private static final long FRAME_JITTER_MS = Math.min(FRAME_GAP_MS, Long.getLong("bench.frameJitterMs", 0));
    private static final int LOOPS = Integer.getInteger("bench.loops", 2);

    private static final byte[] HEAD_FRAMES = concat(
            frame("messageStart", "{\"role\":\"assistant\"}"),
            frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"}}"));
    private static final byte[] DELTA_FRAME =
            frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" there, streaming.\"}}");
    private static final byte[] TAIL_FRAMES = concat(
            frame("contentBlockStop", "{\"contentBlockIndex\":0}"),
            frame("messageStop", "{\"stopReason\":\"end_turn\"}"),
            frame("metadata", "{\"usage\":{\"inputTokens\":12,\"outputTokens\":" + (1 + EXTRA_DELTAS * 3)
                    + ",\"totalTokens\":" + (13 + EXTRA_DELTAS * 3) + "},\"metrics\":{\"latencyMs\":"
                    + (FRAME_GAP_MS * EXTRA_DELTAS) + "}}"));

    private static final ByteBuffer CONVERSE_RESPONSE = ByteBuffer.wrap(concat(("HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/json\r\nx-amzn-RequestId: bench-converse\r\nContent-Length: "
            + CONVERSE_JSON.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), CONVERSE_JSON))
            .asReadOnlyBuffer();
    private static final byte[] STREAM_HEAD = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/vnd.amazon.eventstream\r\nx-amzn-RequestId: bench-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private BenchUpstream() {
    }

    public static void main(String[] args) throws IOException {
        List<EventLoop> loops = new ArrayList<>();
        for (int i = 0; i < LOOPS; i++) {
            EventLoop loop = new EventLoop();
            Thread thread = new Thread(loop, "upstream-loop-" + i);
            thread.start();
            loops.add(loop);
        }
        for (String arg : args) {
            long delayMs = Long.parseLong(arg);
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            Thread acceptor = new Thread(() -> accept(server, delayMs, loops), "upstream-accept-" + delayMs);
            acceptor.start();
            System.out.println("PORT " + delayMs + " " + ((InetSocketAddress) server.getLocalAddress()).getPort());
        }
        System.out.println("READY");
        System.out.flush();
    }

    private static void accept(ServerSocketChannel server, long delayMs, List<EventLoop> loops) {
        int next = 0;
        while (true) {
            try {
                SocketChannel channel = server.accept();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                EventLoop loop = loops.get(next++ % loops.size());
                loop.execute(() -> loop.register(channel, delayMs));
            } catch (IOException failed) {
                System.err.println("accept failed: " + failed);
                return;
            }
        }
    }

    /**
     * One selector thread: reads requests, parses them, and writes answers, immediate or timed. Every field of
     * every {@link Connection} it owns is touched only by its thread; other threads hand work in through
     * {@link #execute}.
     */
    private static final class EventLoop implements Runnable {
        private final Selector selector;
        private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
        private final PriorityQueue<Timer> timers = new PriorityQueue<>();
        private long timerSequence;

        EventLoop() throws IOException {
            selector = Selector.open();
        }

        void execute(Runnable task) {
            inbox.add(task);
            selector.wakeup();
        }

        void schedule(long delayMs, Runnable task) {
            timers.add(new Timer(System.nanoTime() + delayMs * 1_000_000L, timerSequence++, task));
        }

        void register(SocketChannel channel, long delayMs) {
            try {
                Connection connection = new Connection(this, channel, delayMs);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            } catch (IOException failed) {
                closeQuietly(channel);
            }
        }

        @Override
        public void run() {
            while (true) {
                try {
                    long timeout = 0;
                    Timer first = timers.peek();
                    if (first != null) {
                        timeout = Math.max(1, (first.deadline - System.nanoTime() + 999_999) / 1_000_000);
                    }
                    if (inbox.isEmpty()) {
                        if (first == null) {
                            selector.select();
                        } else {
                            selector.select(timeout);
                        }
                    } else {
                        selector.selectNow();
                    }
                    for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        Connection connection = (Connection) key.attachment();
                        if (key.isValid() && key.isWritable()) {
                            connection.flush();
                        }
                        if (key.isValid() && key.isReadable()) {
                            connection.read();
                        }
                    }
                    for (Runnable task; (task = inbox.poll()) != null; ) {
                        task.run();
                    }
                    long now = System.nanoTime();
                    while (!timers.isEmpty() && timers.peek().deadline - now <= 0) {
                        timers.poll().task.run();
                    }
                } catch (IOException | RuntimeException failed) {
                    System.err.println("event loop: " + failed);
                }
            }
        }
    }

    private record Timer(long deadline, long sequence, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byTime = Long.compare(deadline - other.deadline, 0);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    /** One keep-alive connection; one request at a time (the next is parsed once the answer is complete). */
    private static final class Connection {
        private final EventLoop loop;
        private final SocketChannel channel;
        private final long delayMs;
        private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
        private ByteBuffer input = ByteBuffer.allocate(8192);
        private boolean busy;
        private boolean closed;
        SelectionKey key;

        Connection(EventLoop loop, SocketChannel channel, long delayMs) {
            this.loop = loop;
            this.channel = channel;
            this.delayMs = delayMs;
        }

        void read() {
            try {
                if (!input.hasRemaining()) {
                    input = ByteBuffer.allocate(input.capacity() * 2).put(input.flip());
                }
                if (channel.read(input) < 0) {
                    close();
                    return;
                }
                process();
            } catch (IOException gone) {
                close();
            }
        }

        /** Parses and answers every complete request in the buffer, unless an answer is still under way. */
        private void process() {
            while (!busy && !closed) {
                byte[] bytes = input.array();
                int end = headEnd(bytes, input.position());
                if (end < 0) {
                    return;
                }
                String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
                int length = 0;
                for (String line : head.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        String name = line.substring(0, colon).trim();
                        if (name.equalsIgnoreCase("content-length")) {
                            length = Integer.parseInt(line.substring(colon + 1).trim());
                        } else if (name.equalsIgnoreCase("transfer-encoding")) {
                            System.err.println("chunked request bodies are not supported; closing");
                            close();
                            return;
                        }
                    }
                }
                if (input.position() < end + 4 + length) {
                    return;
                }
                input.flip().position(end + 4 + length);
                input.compact();
                String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
                answer(path);
            }
        }

        private void answer(String path) {
            if (path.endsWith("/converse-stream")) {
                busy = true;
                write(ByteBuffer.wrap(STREAM_HEAD));
                write(chunk(HEAD_FRAMES));
                loop.schedule(gapMs(), () -> nextDelta(EXTRA_DELTAS));
            } else if (delayMs <= 0) {
                write(CONVERSE_RESPONSE.duplicate());
            } else {
                busy = true;
                loop.schedule(delayMs, () -> {
                    write(CONVERSE_RESPONSE.duplicate());
                    done();
                });
            }
        }

        private void nextDelta(int remaining) {
            if (closed) {
                return;
            }
            if (remaining > 0) {
                write(chunk(DELTA_FRAME));
                loop.schedule(gapMs(), () -> nextDelta(remaining - 1));
            } else {
                write(chunk(TAIL_FRAMES));
                write(ByteBuffer.wrap(LAST_CHUNK));
                done();
            }
        }

        /** The next frame gap: {@code frameGapMs}, spread uniformly by {@code ±frameJitterMs} when set. */
        private long gapMs() {
            return FRAME_JITTER_MS == 0 ? FRAME_GAP_MS
                    : FRAME_GAP_MS - FRAME_JITTER_MS + ThreadLocalRandom.current().nextLong(2 * FRAME_JITTER_MS + 1);
        }

        private void done() {
            busy = false;
            process();
        }

        private void write(ByteBuffer buffer) {
            if (closed) {
                return;
            }
            output.add(buffer);
            flush();
        }

        void flush() {
            try {
                while (!output.isEmpty()) {
                    ByteBuffer head = output.peek();
                    channel.write(head);
                    if (head.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                        return;
                    }
                    output.poll();
                }
                key.interestOps(SelectionKey.OP_READ);
            } catch (IOException gone) {
                close();
            }
        }

        private void close() {
            closed = true;
            output.clear();
            key.cancel();
            closeQuietly(channel);
        }
    }

    private static int headEnd(byte[] bytes, int limit) {
        for (int i = 0; i + 3 < limit; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static ByteBuffer chunk(byte[] data) {
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.wrap(concat(size, data, "\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    /** One event-stream message: prelude (total, headers length, CRC), three string headers, payload, CRC. */
    static byte[] frame(String eventType, String payloadJson) {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        header(headers, ":event-type", eventType);
        header(headers, ":content-type", "application/json");
        header(headers, ":message-type", "event");
        byte[] headerBytes = headers.toByteArray();
        byte[] payload = payloadJson.getBytes(StandardCharsets.UTF_8);
        int total = 12 + headerBytes.length + payload.length + 4;
        ByteBuffer buffer = ByteBuffer.allocate(total);
        buffer.putInt(total).putInt(headerBytes.length);
        buffer.putInt((int) crc(buffer.array(), 0, 8));
        buffer.put(headerBytes).put(payload);
        buffer.putInt((int) crc(buffer.array(), 0, total - 4));
        return buffer.array();
    }

    private static void header(ByteArrayOutputStream out, String name, String value) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(nameBytes.length);
        out.writeBytes(nameBytes);
        out.write(7);
        out.write(valueBytes.length >>> 8);
        out.write(valueBytes.length & 0xff);
        out.writeBytes(valueBytes);
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
