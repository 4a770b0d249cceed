package io.bedrockgateway.it;

import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.io.CloseMode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test requests over the three ways the gateway is reached. Every call times out. Thread-safe. */
public final class HttpProbe {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** An inference-profile ARN as the SDKs send it: {@code :} as {@code %3A}, the ARN's {@code /} as {@code %2F}. */
    public static final String ARN_CONVERSE_PATH = "/bedrock/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3A"
            + "inference-profile%2Fus.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse";

    private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private static final HttpClient HTTP_2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
            .connectTimeout(TIMEOUT).build();

    private HttpProbe() {
    }

    /** {@code GET} over HTTP/1.1. */
    public static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP_1_1.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET} that asks for h2c by {@code Upgrade: h2c}: the JDK client's way on an http:// URI. */
    public static HttpResponse<String> getWithH2cUpgrade(URI uri) throws IOException, InterruptedException {
        return HTTP_2.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * {@code GET} over h2c by prior knowledge: the connection opens with the HTTP/2 preface, no HTTP/1.1 at all (as
     * the AWS SDK for JavaScript does). HttpClient 5's HTTP/2-only client cannot do anything else on http://.
     */
    public static SimpleHttpResponse getWithH2cPriorKnowledge(URI uri)
            throws InterruptedException, ExecutionException, TimeoutException {
        CloseableHttpAsyncClient client = HttpAsyncClients.createHttp2Default();
        try {
            client.start();
            SimpleHttpRequest request = SimpleRequestBuilder.get(uri).build();
            SimpleHttpResponse response = client.execute(request, null)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (response.getVersion() == null || !response.getVersion().equals(HttpVersion.HTTP_2)) {
                throw new IllegalStateException("expected HTTP/2, got " + response.getVersion());
            }
            return response;
        } finally {
            client.close(CloseMode.GRACEFUL);
        }
    }
}
