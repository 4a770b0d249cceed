package io.bedrockgateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The gateway's admin API as a platform team's script calls it, with the master key. Test support. */
final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;

    AdminClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    record Response(int status, JsonNode body) {
    }

    Response post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + GatewayFixture.MASTER_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + GatewayFixture.MASTER_KEY).GET().build());
    }

    private Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Response(response.statusCode(), body == null || body.isEmpty() ? null : JSON.readTree(body));
    }

    /** Creates a key with the given {@code /key/generate} JSON; returns the secret. */
    String generate(String json) throws IOException, InterruptedException {
        Response response = post("/key/generate", json);
        if (response.status() != 200) {
            throw new AssertionError("key/generate: " + response.status() + " " + response.body());
        }
        return response.body().get("key").asText();
    }

    BigDecimal spend(String key) throws IOException, InterruptedException {
        Response info = get("/key/info?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
        if (info.status() != 200) {
            throw new AssertionError("key/info: " + info.status() + " " + info.body());
        }
        return new BigDecimal(info.body().get("info").get("spend").asText());
    }

    /** Waits (bounded) until the key's recorded spend equals {@code expected}; spend is written in batches. */
    BigDecimal awaitSpend(String key, BigDecimal expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        BigDecimal seen = spend(key);
        while (seen.compareTo(expected) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            seen = spend(key);
        }
        return seen;
    }
}
