package io.bedrockgateway.upstream;

import com.sun.net.httpserver.HttpServer;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The upstream client leaves content codings alone: it neither asks for them nor decodes them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UpstreamClientTest {
    private HttpServer upstream;
    private UpstreamClient client;
    private final AtomicReference<String> acceptEncoding = new AtomicReference<>("(no request)");
    private byte[] gzipped;

    @BeforeEach
    void start() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write("{\"usage\":{}}".getBytes());
        }
        gzipped = bytes.toByteArray();
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            acceptEncoding.set(exchange.getRequestHeaders().getFirst("Accept-Encoding"));
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, gzipped.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(gzipped);
            }
        });
        upstream.start();
        client = new UpstreamClient(UpstreamClient.Settings.defaults(), host -> Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        client.close();
        upstream.stop(0);
    }

    @Test
    void contentCodingsPassThroughUntouched() throws Exception {
        String uri = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/model/m/converse";
        SimpleHttpResponse response = client.execute(
                SimpleRequestProducer.create(SimpleRequestBuilder.post(uri)
                        .setBody("{}", ContentType.APPLICATION_JSON).build()),
                SimpleResponseConsumer.create(), Duration.ofSeconds(10), null).get(20, TimeUnit.SECONDS);
        assertNull(acceptEncoding.get(), "no Accept-Encoding of the client's own");
        assertEquals("gzip", response.getFirstHeader("Content-Encoding").getValue());
        assertArrayEquals(gzipped, response.getBodyBytes(), "the body as upstream sent it");
    }
}
