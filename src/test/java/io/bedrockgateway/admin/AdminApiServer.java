package io.bedrockgateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.bedrockgateway.auth.MasterKeyVerifier;
import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.spend.SpendLogRepository;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The admin API alone in an embedded Tomcat on {@code 127.0.0.1} and a free port, wired by
 * {@link AdminApi#register} exactly as the bootstrap will, over given (by default in-memory) repositories, a
 * settable clock and a recording {@code KeyChangeListener}. Comes with a small JSON HTTP client. Start and stop run
 * on a named thread and give up after {@value #TIMEOUT_SECONDS} seconds; every request times out after as long.
 * Thread-safe.
 */
final class AdminApiServer implements AutoCloseable {
    static final String MASTER_KEY = "sk-test-master-key-0123456789";
    static final long TIMEOUT_SECONDS = 30;
    static final Instant START = Instant.parse("2025-06-01T12:00:00Z");
    /** Reads numbers exactly as sent, so tests see the digits on the wire. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();
    /** Held strongly: JUL keeps loggers weakly. */
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("org.apache.catalina"),
            Logger.getLogger("org.apache.coyote"), Logger.getLogger("org.apache.tomcat"));

    /** The key repository the API uses, counting writes. */
    final CountingKeyRepository keys;
    final SpendLogRepository spend;
    final SettableClock clock = new SettableClock(START);
    final List<String> changedTokens = new CopyOnWriteArrayList<>();
    final Map<String, BigDecimal> endUserBudgets = new ConcurrentHashMap<>();
    /** When set, the change listener records the token and then throws. */
    final AtomicBoolean listenerFails = new AtomicBoolean();
    private final Path baseDir;
    private final Tomcat tomcat;
    private final ExecutorService lifecycle;
    private final ExecutorService clientThreads;
    private final HttpClient client;
    private int port;

    private final UnaryOperator<KeyRepository> decorate;

    private AdminApiServer(Backend backend, UnaryOperator<KeyRepository> decorate) throws IOException {
        this.decorate = decorate;
        this.keys = new CountingKeyRepository(backend.keys());
        this.spend = backend.spend();
        baseDir = Files.createTempDirectory("admin-api-test");
        tomcat = new Tomcat();
        lifecycle = Executors.newSingleThreadExecutor(named("admin-test-lifecycle"));
        clientThreads = Executors.newCachedThreadPool(named("admin-test-client"));
        client = HttpClient.newBuilder().executor(clientThreads).connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * The repositories behind the API. Tests take them from an overridable {@code backend()} method, so that the
     * same scenarios run against the JPA repositories (H2, PostgreSQL) by subclassing; each call must give empty
     * repositories.
     */
    record Backend(KeyRepository keys, SpendLogRepository spend) {
    }

    static Backend inMemory() {
        return new Backend(new InMemoryKeyRepository(), new InMemorySpendLogRepository());
    }

    static AdminApiServer start() {
        return start(inMemory());
    }

    static AdminApiServer start(Backend backend) {
        return start(backend, UnaryOperator.identity());
    }

    /** Starts with the key repository seen by the API wrapped by {@code decorate} (to inject faults). */
    static AdminApiServer start(Backend backend, UnaryOperator<KeyRepository> decorate) {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
        try {
            AdminApiServer server = new AdminApiServer(backend, decorate);
            server.run(() -> {
                server.startTomcat();
                return null;
            });
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startTomcat() throws LifecycleException {
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", baseDir.toString());
        context.addServletContainerInitializer((classes, ctx) -> AdminApi.register(ctx,
                new MasterKeyVerifier(MASTER_KEY), decorate.apply(keys), spend, this::keyChanged, clock,
                endUser -> Optional.ofNullable(endUserBudgets.get(endUser))), null);
        tomcat.start();
        port = connector.getLocalPort();
    }

    private void keyChanged(String token) {
        changedTokens.add(token);
        if (listenerFails.get()) {
            throw new IllegalStateException("listener failure injected by the test");
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** A call with the master key as a bearer token. */
    Reply get(String pathAndQuery) {
        return send("GET", pathAndQuery, null, "Authorization", "Bearer " + MASTER_KEY);
    }

    Reply post(String path, String json) {
        return send("POST", path, json, "Authorization", "Bearer " + MASTER_KEY, "Content-Type", "application/json");
    }

    /** Any call; {@code body} {@code null} for none; {@code headers} as name, value pairs. */
    Reply send(String method, String pathAndQuery, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response, response.body().isEmpty() ? null
                    : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            run(() -> {
                tomcat.stop();
                tomcat.destroy();
                return null;
            });
        } finally {
            lifecycle.shutdownNow();
            clientThreads.shutdownNow();
            deleteQuietly(baseDir);
        }
    }

    private void run(Callable<Void> step) {
        try {
            lifecycle.submit(step).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Tomcat lifecycle step failed", e);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }

    /** A response: status, headers and the body as JSON ({@code null} when empty). */
    record Reply(int status, HttpResponse<String> raw, JsonNode json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** {@code error.param} of an error body. */
        String param() {
            JsonNode param = json.path("error").path("param");
            return param.isNull() ? null : param.asText();
        }

        String message() {
            return json.path("error").path("message").asText();
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    /** A clock tests move by hand. Thread-safe. */
    static final class SettableClock extends Clock {
        private final AtomicReference<Instant> now;

        SettableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
