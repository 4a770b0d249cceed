import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Closed-loop latency at concurrency 1: one keep-alive HTTP/1.1 connection, the next POST written as soon as the
 * previous response has been read whole, each request timed from just before its write to its last byte with
 * {@code System.nanoTime()}. Used instead of {@code wrk -c1}, whose latency figures here are not consistent with its
 * own request count (see bench/README.md).
 *
 * <p>{@code java BenchLatencyClient <url> <seconds> <warmupSeconds> [bearerKey]}. Output, one line, milliseconds:
 * {@code requests=N errors=E mean=.. p50=.. p90=.. p99=.. p999=.. max=..}. Exits 1 when any response is not a 200
 * with a {@code Content-Length}. A {@code Connection: close} answer or a closed connection reconnects; the connect
 * is not part of any request's time.
 *
 * <p>Thread-safety: single-threaded.
 */
public final class BenchLatencyClient {
    private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_CLOSE = "connection: close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final URI uri;
    private final byte[] request;
    private final byte[] buffer = new byte[1 << 16];
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    private BenchLatencyClient(URI uri, String key) {
        this.uri = uri;
        this.request = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + key + "\r\nContent-Length: "
                + BODY.length() + "\r\n\r\n" + BODY).getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws IOException {
        BenchLatencyClient client = new BenchLatencyClient(URI.create(args[0]), args.length > 3 ? args[3] : "none");
        client.run(Long.parseLong(args[2]) * 1_000_000_000L, null);
        long[] samples = new long[4_000_000];
        int n = client.run(Long.parseLong(args[1]) * 1_000_000_000L, samples);
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        System.out.printf("requests=%d errors=0 mean=%.3f p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f%n", n,
                mean / 1e6, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), pct(sorted, 0.999),
                sorted.length == 0 ? 0 : sorted[n - 1] / 1e6);
    }

    /** Runs for {@code nanos}, recording each request's nanoseconds into {@code samples} when given. */
    private int run(long nanos, long[] samples) throws IOException {
        int n = 0;
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end && (samples == null || n < samples.length)) {
            if (socket == null) {
                connect();
            }
            long start = System.nanoTime();
            out.write(request);
            out.flush();
            if (!readResponse()) {
                close(); // closed under us before an answer: reconnect and send again, untimed
                continue;
            }
            long took = System.nanoTime() - start;
            if (samples != null) {
                samples[n] = took;
            }
            n++;
        }
        close();
        return n;
    }

    /** @return false when the connection closed before a response began */
    private boolean readResponse() throws IOException {
        int length = 0;
        while (true) {
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                if (length == 0) {
                    return false;
                }
                throw new IOException("connection closed inside a response");
            }
            length += read;
            int headEnd = indexOf(buffer, length, HEAD_END);
            if (headEnd < 0) {
                continue;
            }
            if (length < 12 || buffer[9] != '2' || buffer[10] != '0' || buffer[11] != '0') {
                fail("status " + new String(buffer, 0, Math.min(length, 12), StandardCharsets.US_ASCII));
            }
            long bodyLength = contentLength(headEnd);
            if (length >= headEnd + 4 + bodyLength) {
                if (indexOfIgnoreCase(buffer, headEnd, CONNECTION_CLOSE) >= 0) {
                    close();
                }
                return true;
            }
            if (length == buffer.length) {
                fail("response larger than " + buffer.length + " bytes");
            }
        }
    }

    private long contentLength(int headEnd) {
        int at = indexOfIgnoreCase(buffer, headEnd, CONTENT_LENGTH);
        if (at < 0) {
            fail("no Content-Length");
        }
        long value = 0;
        for (int i = at + CONTENT_LENGTH.length; i < headEnd && buffer[i] != '\r'; i++) {
            if (buffer[i] >= '0' && buffer[i] <= '9') {
                value = value * 10 + (buffer[i] - '0');
            }
        }
        return value;
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    private void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    private static int indexOf(byte[] haystack, int limit, byte[] needle) {
        outer:
        for (int i = 0; i <= limit - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** {@code needle} is lower case. */
    private static int indexOfIgnoreCase(byte[] haystack, int limit, byte[] needle) {
        outer:
        for (int i = 0; i <= limit - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                int c = haystack[i + j];
                if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    private static void fail(String why) {
        System.out.println("requests=0 errors=1 error=" + why);
        System.exit(1);
    }
}
