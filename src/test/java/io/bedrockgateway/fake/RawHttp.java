package io.bedrockgateway.fake;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bare HTTP/1.1 client over one socket, for tests that need byte-level control, plus SigV4 signing of such
 * requests with the SDK's signer (client side only). Test support; confined to one thread.
 */
public final class RawHttp implements AutoCloseable {
    /** A parsed response; {@code complete} is false when the body ended early (no terminating chunk). */
    public record Response(int status, Map<String, List<String>> headers, byte[] body, boolean complete) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RawHttp(int port) throws IOException {
        this(port, 0);
    }

    /** @param receiveBuffer {@code SO_RCVBUF} to set before connecting, or 0 */
    public RawHttp(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** The buffered response stream, for tests that read a body at their own pace. */
    public InputStream input() {
        return in;
    }

    public static Map.Entry<String, String> h(String name, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    /**
     * Signs with the AWS SDK's own SigV4 signer for service {@code bedrock}. {@code encodedPath} is what the
     * signer is told the path is, which need not be what is then sent.
     */
    static List<Map.Entry<String, String>> sign(int port, String method, String encodedPath,
                                                Map<String, String> query, byte[] body, AwsCredentialsIdentity identity,
                                                String region, Clock clock) {
        return sign(port, method, encodedPath, query, body, identity, region, clock, true);
    }

    static List<Map.Entry<String, String>> sign(int port, String method, String encodedPath,
                                                Map<String, String> query, byte[] body, AwsCredentialsIdentity identity,
                                                String region, Clock clock, boolean contentLength) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
                .protocol("http").host("127.0.0.1").port(port).encodedPath(encodedPath)
                .putHeader("Content-Type", "application/json");
        if (contentLength) {
            request.putHeader("Content-Length", String.valueOf(body.length));
        }
        query.forEach(request::putRawQueryParameter);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)).request();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        signed.forEachHeader((name, values) -> values.forEach(v -> headers.add(h(name, v))));
        return headers;
    }

    static List<Map.Entry<String, String>> sign(int port, String method, String encodedPath, byte[] body) {
        return sign(port, method, encodedPath, Map.of(), body,
                AwsCredentialsIdentity.create(SdkClients.ACCESS_KEY, SdkClients.SECRET), "us-west-2",
                Clock.systemUTC());
    }

    /** Writes a request with exactly these headers (nothing added) and body. */
    public void send(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (Map.Entry<String, String> header : headers) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream(head.length() + body.length + 2);
        request.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        request.write(body);
        out.write(request.toByteArray());
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public Response exchange(String method, String target, List<Map.Entry<String, String>> headers, byte[] body)
            throws IOException {
        send(method, target, headers, body);
        return read();
    }

    /** Reads one response; an early end of a chunked body yields {@code complete == false}. */
    public Response read() throws IOException {
        String statusLine = line();
        while (statusLine.startsWith("HTTP/1.1 100")) {
            line();
            statusLine = line();
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = readHeaders();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("transfer-encoding")) {
            try {
                for (int size = chunkSize(); size > 0; size = chunkSize()) {
                    body.write(exactly(size));
                    line();
                }
                line();
            } catch (IOException e) {
                return new Response(status, headers, body.toByteArray(), false);
            }
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length").get(0));
            try {
                body.write(exactly(length));
            } catch (IOException e) {
                return new Response(status, headers, body.toByteArray(), false);
            }
        }
        return new Response(status, headers, body.toByteArray(), true);
    }

    /** Reads just the status line and headers, leaving the body unread. */
    public Response readHead() throws IOException {
        int status = Integer.parseInt(line().split(" ")[1]);
        return new Response(status, readHeaders(), new byte[0], false);
    }

    private Map<String, List<String>> readHeaders() throws IOException {
        Map<String, List<String>> headers = new TreeMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        return headers;
    }

    private int chunkSize() throws IOException {
        return Integer.parseInt(line().strip(), 16);
    }

    private byte[] exactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new EOFException("short body");
        }
        return bytes;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
