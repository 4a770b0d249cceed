import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives {@code converse-stream} calls over HTTP/1.1 keep-alive, one connection and one thread each, in one of two
 * shapes:
 *
 * <ul>
 *   <li><b>burst</b> (default): {@code concurrency} calls at a time for {@code warmupRounds + rounds} rounds. In
 *       every round all threads are released together by a barrier; each takes its own start time just before it
 *       writes its request, so the measure holds the server's answer to a burst of 200 streams, not the client's
 *       start-up skew.</li>
 *   <li><b>open</b> ({@code --open}): {@code concurrency} streams open at every moment for a number of seconds; each
 *       connection opens its next stream as soon as the previous one ends (see {@link #open}).</li>
 * </ul>
 *
 * <p>Per stream it records the time to the first response byte (the head), to the first body byte (the first
 * event-stream chunk) and to the end of the stream. Output, one line, in milliseconds:
 * {@code streams=N errors=E head_p50=.. head_p99=.. ttfb_p50=.. ttfb_p99=.. ttfb_max=.. total_p50=..}.
 * With {@code -Dbench.samples=<file>} it also writes one line per stream: start (epoch ms, open mode only) and
 * TTFB in microseconds. Exits 1 if any stream failed or did not answer 200.
 *
 * <p>{@code java BenchStreamClient <url> <concurrency> <warmupRounds> <rounds> [bearerKey]}<br>
 * {@code java BenchStreamClient --open <url> <concurrency> <warmupSeconds> <seconds> [bearerKey]}
 *
 * <p>Thread-safety: each worker owns its socket; results go into synchronized lists read after all workers end.
 */
public final class BenchStreamClient {
    private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";

    private BenchStreamClient() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--open")) {
            open(args);
            return;
        }
        URI uri = URI.create(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        int warmupRounds = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        String key = args.length > 4 ? args[4] : "none";
        byte[] request = request(uri, key);
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
        joinAll(workers, System.nanoTime() + TimeUnit.SECONDS.toNanos(120));
        report(samples, errors.get());
    }

    /**
     * {@code --open <url> <concurrency> <warmupSeconds> <seconds> [bearerKey]}: keeps {@code concurrency} streams
     * open at all times. Each connection starts after a random delay within the first 0.5 s (about one stream in the
     * full run: 2 + 8 frames 50 ms apart + 3), so that the streams do not move in lock step, then opens its next stream
     * as soon as the previous one ends. Streams that start within the warm-up are not recorded.
     */
    private static void open(String[] args) throws Exception {
        URI uri = URI.create(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        long runNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        byte[] request = request(uri, args.length > 5 ? args[5] : "none");
        List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        long begin = System.nanoTime();
        long measureFrom = begin + warmupNanos;
        long end = measureFrom + runNanos;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            long delayMillis = ThreadLocalRandom.current().nextLong(500);
            Thread worker = new Thread(() -> {
                try (Socket socket = new Socket()) {
                    Thread.sleep(delayMillis);
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
                    while (true) {
                        long startedAt = System.nanoTime();
                        if (startedAt >= end) {
                            return;
                        }
                        long[] sample = exchange(socket, request);
                        if (startedAt >= measureFrom) {
                            long startedAtMillis = System.currentTimeMillis() - sample[2] / 1_000_000;
                            samples.add(new long[] {sample[0], sample[1], sample[2], startedAtMillis});
                        }
                    }
                } catch (IOException failed) {
                    errors.incrementAndGet();
                    System.err.println("stream failed: " + failed);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            }, "stream-client-" + i);
            worker.start();
            workers.add(worker);
        }
        joinAll(workers, end + TimeUnit.SECONDS.toNanos(60));
        report(samples, errors.get());
    }

    /** Waits for every worker until {@code deadlineNanos}; exits 2 if one is still running then. */
    private static void joinAll(List<Thread> workers, long deadlineNanos) throws InterruptedException {
        for (Thread worker : workers) {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
            if (worker.isAlive()) {
                System.err.println("stream client timed out");
                System.exit(2);
            }
        }
    }

    private static byte[] request(URI uri, String key) {
        return ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nAccept: application/vnd.amazon.eventstream\r\n"
                + "Authorization: Bearer " + key + "\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void report(List<long[]> samples, int errors) {
        String dump = System.getProperty("bench.samples");
        if (dump != null) {
            try (PrintWriter out = new PrintWriter(dump, StandardCharsets.UTF_8)) {
                synchronized (samples) {
                    samples.forEach(s -> out.println((s.length > 3 ? s[3] : 0) + " " + s[1] / 1000));
                }
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
