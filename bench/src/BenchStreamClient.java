import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens {@code concurrency} simultaneous {@code converse-stream} calls over HTTP/1.1 keep-alive, one connection
 * and one thread each, for {@code warmupRounds + rounds} rounds. In every round all threads are released together
 * by a barrier; each takes its own start time just before it writes its request, so the measure holds the server's
 * answer to a burst of 200 streams, not the client's start-up skew.
 *
 * <p>Per stream it records the time to the first response byte (the head), to the first body byte (the first
 * event-stream chunk) and to the end of the stream. Output, one line, in milliseconds:
 * {@code streams=N errors=E head_p50=.. head_p99=.. ttfb_p50=.. ttfb_p99=.. ttfb_max=.. total_p50=..}.
 * Exits 1 if any stream failed or did not answer 200.
 *
 * <p>{@code java BenchStreamClient <url> <concurrency> <warmupRounds> <rounds> [bearerKey]}
 *
 * <p>Thread-safety: each worker owns its socket; results go into synchronized lists read after all workers end.
 */
public final class BenchStreamClient {
    private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";

    private BenchStreamClient() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        int warmupRounds = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        String key = args.length > 4 ? args[4] : "none";
        byte[] request = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nAccept: application/vnd.amazon.eventstream\r\n"
                + "Authorization: Bearer " + key + "\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY)
                .getBytes(StandardCharsets.UTF_8);
        List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        CyclicBarrier barrier = new CyclicBarrier(concurrency);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread worker = new Thread(() -> work(uri, request, barrier, warmupRounds, rounds, samples, errors),
                    "stream-client-" + i);
            worker.start();
            workers.add(worker);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (Thread worker : workers) {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (worker.isAlive()) {
                System.err.println("stream client timed out");
                System.exit(2);
            }
        }
        long[] head = samples.stream().mapToLong(s -> s[0]).sorted().toArray();
        long[] ttfb = samples.stream().mapToLong(s -> s[1]).sorted().toArray();
        long[] total = samples.stream().mapToLong(s -> s[2]).sorted().toArray();
        System.out.printf("streams=%d errors=%d head_p50=%.3f head_p99=%.3f ttfb_p50=%.3f ttfb_p99=%.3f"
                        + " ttfb_max=%.3f total_p50=%.3f%n", samples.size(), errors.get(), pct(head, 50),
                pct(head, 99), pct(ttfb, 50), pct(ttfb, 99), pct(ttfb, 100), pct(total, 50));
        System.exit(errors.get() == 0 && !samples.isEmpty() ? 0 : 1);
    }

    private static void work(URI uri, byte[] request, CyclicBarrier barrier, int warmupRounds, int rounds,
                             List<long[]> samples, AtomicInteger errors) {
        Socket socket = null;
        for (int round = 0; round < warmupRounds + rounds; round++) {
            try {
                barrier.await(60, TimeUnit.SECONDS);
            } catch (Exception broken) {
                errors.incrementAndGet();
                return;
            }
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
                }
                long[] sample = exchange(socket, request);
                if (round >= warmupRounds) {
                    samples.add(sample);
                }
            } catch (IOException failed) {
                errors.incrementAndGet();
                System.err.println("stream failed: " + failed);
                closeQuietly(socket);
                socket = null;
            }
        }
        closeQuietly(socket);
    }

    /** One request on a connected socket: {head, first body byte, end} in nanoseconds from the write. */
    private static long[] exchange(Socket socket, byte[] request) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16384);
        OutputStream out = socket.getOutputStream();
        long start = System.nanoTime();
        out.write(request);
        out.flush();
        int first = in.read();
        long head = System.nanoTime() - start;
        String responseHead = (char) first + readHead(in);
        if (!responseHead.startsWith("HTTP/1.1 200")) {
            throw new IOException("status line: " + responseHead.lines().findFirst().orElse(""));
        }
        String lower = responseHead.toLowerCase(java.util.Locale.ROOT);
        int body = in.read();
        long firstByte = System.nanoTime() - start;
        if (body < 0) {
            throw new IOException("empty body");
        }
        if (lower.contains("transfer-encoding: chunked")) {
            String sizeLine = (char) body + readLine(in);
            while (true) {
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    readLine(in);
                    break;
                }
                in.skipNBytes(size);
                readLine(in);
                sizeLine = readLine(in);
            }
        } else {
            int at = lower.indexOf("content-length:");
            if (at < 0) {
                throw new IOException("neither chunked nor Content-Length");
            }
            int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf('\r', at)).trim());
            in.skipNBytes(length - 1L);
        }
        return new long[] {head, firstByte, System.nanoTime() - start};
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed in the body");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** Nearest-rank percentile, in milliseconds. */
    private static double pct(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Already gone.
            }
        }
    }
}
