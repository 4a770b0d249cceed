import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * An event-loop load generator for {@code converse-stream}: every HTTP/1.1 keep-alive connection on one selector
 * thread, the way wrk and h2load drive theirs. A relay's frame written to a client wakes no client thread of its
 * own, so the load generator takes as little of the two cores (and as few context switches) from the relay under
 * test as it can.
 *
 * <p>Shapes: {@code open} keeps {@code connections} streams open at every moment, each connection opening its next
 * stream as soon as the previous one ended (starts spread over the first 0.5 s); {@code burst} releases one request on
 * every connection at once, round after round, the next round once every stream of the last one has ended.
 *
 * <p>Per stream: time to the response head and to the first body byte (the first event-stream chunk), both taken as
 * the moment the selector reported the bytes readable, and to the end of the stream. Output, one line, milliseconds:
 * {@code streams=N errors=E head_p50=.. head_p99=.. ttfb_p50=.. ttfb_p99=.. ttfb_max=.. total_p50=..}. With
 * {@code -Dbench.samples=<file>}, one line per stream: start (epoch ms) and TTFB (µs). Exits 1 if a stream failed
 * or did not answer 200, 2 if the run overran its deadline.
 *
 * <p>{@code java StreamLoad open <url> <connections> <warmupSeconds> <seconds> [bearerKey]}<br>
 * {@code java StreamLoad burst <url> <connections> <warmupRounds> <rounds> [bearerKey]}
 *
 * <p>Thread-safety: single-threaded.
 */
public final class StreamLoad {
    private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";

    private final InetSocketAddress address;
    private final byte[] request;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(1 << 16);
    private final Selector selector;
    private final List<long[]> samples = new ArrayList<>();
    private int errors;
    private long selectedAt;

    private StreamLoad(URI uri, String key) throws IOException {
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.request = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nAccept: application/vnd.amazon.eventstream\r\n"
                + "Authorization: Bearer " + key + "\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY)
                .getBytes(StandardCharsets.UTF_8);
        this.selector = Selector.open();
    }

    public static void main(String[] args) throws Exception {
        String shape = args[0];
        StreamLoad load = new StreamLoad(URI.create(args[1]), args.length > 5 ? args[5] : "none");
        int connections = Integer.parseInt(args[2]);
        long a = Long.parseLong(args[3]);
        long b = Long.parseLong(args[4]);
        boolean finished = switch (shape) {
            case "open" -> load.open(connections, TimeUnit.SECONDS.toNanos(a), TimeUnit.SECONDS.toNanos(b));
            case "burst" -> load.burst(connections, (int) a, (int) b);
            default -> throw new IllegalArgumentException("shape: open or burst");
        };
        if (!finished) {
            System.err.println("stream load timed out");
            System.exit(2);
        }
        load.report();
    }

    /** One connection and the stream on it. */
    private final class Connection {
        final SocketChannel channel;
        final SelectionKey key;
        final ResponseParser parser = new ResponseParser();
        ByteBuffer toWrite;
        long startedAt;
        long startedAtMillis;
        long headAt;
        long firstByteAt;
        boolean busy;

        Connection() throws IOException {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address); // blocking connect on loopback, before any stream is timed
            channel.configureBlocking(false);
            key = channel.register(selector, 0, this);
        }

        void start() throws IOException {
            busy = true;
            parser.reset();
            headAt = 0;
            firstByteAt = 0;
            toWrite = ByteBuffer.wrap(request);
            startedAtMillis = System.currentTimeMillis();
            startedAt = System.nanoTime();
            channel.write(toWrite);
            key.interestOps(toWrite.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** @return whether the stream ended with this event */
        boolean onReady() throws IOException {
            if (key.isWritable()) {
                channel.write(toWrite);
                if (!toWrite.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
                return false;
            }
            while (true) {
                readBuffer.clear();
                int n = channel.read(readBuffer);
                if (n < 0) {
                    throw new IOException("connection closed " + (headAt == 0 ? "before the head" : "in the body"));
                }
                if (n == 0) {
                    return false;
                }
                readBuffer.flip();
                if (headAt == 0) {
                    headAt = selectedAt;
                }
                boolean done = parser.feed(readBuffer);
                if (firstByteAt == 0 && parser.bodyStarted()) {
                    firstByteAt = selectedAt;
                }
                if (done) {
                    busy = false;
                    key.interestOps(0);
                    return true;
                }
            }
        }

        long[] sample() {
            long now = System.nanoTime();
            return new long[] {headAt - startedAt, firstByteAt - startedAt, now - startedAt, startedAtMillis};
        }
    }

    /** Keeps every connection busy from its random start until {@code runNanos} past the warm-up. */
    private boolean open(int connections, long warmupNanos, long runNanos) throws IOException {
        long begin = System.nanoTime();
        long measureFrom = begin + warmupNanos;
        long end = measureFrom + runNanos;
        PriorityQueue<long[]> starts = new PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            all.add(new Connection());
            long delay = TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(500));
            starts.add(new long[] {begin + delay, i});
        }
        int open = 0;
        long deadline = end + TimeUnit.SECONDS.toNanos(60);
        while (open > 0 || !starts.isEmpty()) {
            long now = System.nanoTime();
            if (now > deadline) {
                return false;
            }
            while (!starts.isEmpty() && starts.peek()[0] <= now) {
                Connection c = all.get((int) starts.poll()[1]);
                if (startOrFail(c)) {
                    open++;
                }
            }
            long wait = starts.isEmpty() ? 100 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(starts.peek()[0] - now));
            selector.select(Math.min(wait, 100));
            selectedAt = System.nanoTime();
            for (SelectionKey key : selector.selectedKeys()) {
                Connection c = (Connection) key.attachment();
                Boolean ended = step(c);
                if (ended == null) {
                    open--;
                } else if (ended) {
                    if (c.startedAt >= measureFrom) {
                        samples.add(c.sample());
                    }
                    if (System.nanoTime() < end && startOrFail(c)) {
                        continue;
                    }
                    open--;
                }
            }
            selector.selectedKeys().clear();
        }
        return true;
    }

    /**
     * {@code warmupRounds + rounds} rounds of one stream on every connection, all written at once. Between two writes
     * the loop takes what is already readable, so that an early stream's first bytes are stamped when they arrive,
     * not after the last request of the round has been written.
     */
    private boolean burst(int connections, int warmupRounds, int rounds) throws IOException {
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            all.add(new Connection());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int round = 0; round < warmupRounds + rounds; round++) {
            boolean measured = round >= warmupRounds;
            int[] open = {0};
            for (Connection c : all) {
                if (c.channel.isOpen() && startOrFail(c)) {
                    open[0]++;
                }
                selector.selectNow();
                burstEvents(open, measured);
            }
            while (open[0] > 0) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                selector.select(100);
                burstEvents(open, measured);
            }
        }
        return true;
    }

    /** Handles the selected keys of a burst round; {@code open[0]} counts the streams still running. */
    private void burstEvents(int[] open, boolean measured) {
        selectedAt = System.nanoTime();
        for (SelectionKey key : selector.selectedKeys()) {
            Connection c = (Connection) key.attachment();
            Boolean ended = step(c);
            if (ended == null || ended) {
                open[0]--;
                if (ended != null && measured) {
                    samples.add(c.sample());
                }
            }
        }
        selector.selectedKeys().clear();
    }

    private boolean startOrFail(Connection c) {
        try {
            c.start();
            return true;
        } catch (IOException e) {
            fail(c, e);
            return false;
        }
    }

    /** @return whether the stream ended; null when it failed (the connection is closed) */
    private Boolean step(Connection c) {
        if (!c.busy || !c.key.isValid()) {
            return false;
        }
        try {
            return c.onReady();
        } catch (IOException | RuntimeException e) {
            fail(c, e);
            return null;
        }
    }

    private void fail(Connection c, Exception e) {
        errors++;
        System.err.println("stream failed: " + e);
        c.busy = false;
        c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    private void report() {
        String dump = System.getProperty("bench.samples");
        if (dump != null) {
            try (PrintWriter out = new PrintWriter(dump, StandardCharsets.UTF_8)) {
                samples.forEach(s -> out.println(s[3] + " " + s[1] / 1000));
            } catch (IOException failed) {
                System.err.println("cannot write " + dump + ": " + failed);
            }
        }
        long[] head = samples.stream().mapToLong(s -> s[0]).sorted().toArray();
        long[] ttfb = samples.stream().mapToLong(s -> s[1]).sorted().toArray();
        long[] total = samples.stream().mapToLong(s -> s[2]).sorted().toArray();
        System.out.printf("streams=%d errors=%d head_p50=%.3f head_p99=%.3f ttfb_p50=%.3f ttfb_p99=%.3f"
                        + " ttfb_max=%.3f total_p50=%.3f%n", samples.size(), errors, pct(head, 50),
                pct(head, 99), pct(ttfb, 50), pct(ttfb, 99), pct(ttfb, 100), pct(total, 50));
        System.exit(errors == 0 && !samples.isEmpty() ? 0 : 1);
    }

    /** Nearest-rank percentile, in milliseconds. */
    private static double pct(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    /**
     * An incremental HTTP/1.1 response parser: status line and headers, then a chunked or Content-Length body.
     * Accepts only a 200. Not thread-safe.
     */
    static final class ResponseParser {
        private enum State { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, LENGTH_BODY, DONE }

        private final StringBuilder line = new StringBuilder();
        private final StringBuilder head = new StringBuilder();
        private State state;
        private long remaining;
        private boolean bodyStarted;

        void reset() {
            state = State.HEAD;
            line.setLength(0);
            head.setLength(0);
            remaining = 0;
            bodyStarted = false;
        }

        boolean bodyStarted() {
            return bodyStarted;
        }

        /** @return whether the response is complete (bytes past its end are an error) */
        boolean feed(ByteBuffer in) throws IOException {
            while (in.hasRemaining()) {
                switch (state) {
                    case HEAD, CHUNK_SIZE, CHUNK_DATA_END, TRAILER -> {
                        byte b = in.get();
                        if (state != State.HEAD) {
                            bodyStarted = true;
                        }
                        if (b != '\n') {
                            if (b != '\r') {
                                line.append((char) b);
                            }
                            continue;
                        }
                        onLine(line.toString());
                        line.setLength(0);
                    }
                    case CHUNK_DATA, LENGTH_BODY -> {
                        bodyStarted = true;
                        int take = (int) Math.min(remaining, in.remaining());
                        in.position(in.position() + take);
                        remaining -= take;
                        if (remaining == 0) {
                            state = state == State.CHUNK_DATA ? State.CHUNK_DATA_END : State.DONE;
                        }
                    }
                    case DONE -> throw new IOException("bytes after the end of the response");
                }
            }
            return state == State.DONE;
        }

        private void onLine(String text) throws IOException {
            switch (state) {
                case HEAD -> {
                    if (!text.isEmpty()) {
                        head.append(text).append('\n');
                        return;
                    }
                    String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
                    if (!lower.startsWith("http/1.1 200")) {
                        throw new IOException("status line: " + lower.lines().findFirst().orElse(""));
                    }
                    if (lower.contains("transfer-encoding: chunked")) {
                        state = State.CHUNK_SIZE;
                        return;
                    }
                    int at = lower.indexOf("content-length:");
                    if (at < 0) {
                        throw new IOException("neither chunked nor Content-Length");
                    }
                    remaining = Long.parseLong(lower.substring(at + 15, lower.indexOf('\n', at)).trim());
                    state = remaining == 0 ? State.DONE : State.LENGTH_BODY;
                }
                case CHUNK_SIZE -> {
                    remaining = Long.parseLong(text.split(";")[0].trim(), 16);
                    state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
                }
                case CHUNK_DATA_END -> {
                    if (!text.isEmpty()) {
                        throw new IOException("chunk not followed by CRLF");
                    }
                    state = State.CHUNK_SIZE;
                }
                case TRAILER -> {
                    if (text.isEmpty()) {
                        state = State.DONE;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }
}
