package io.bedrockgateway.testing;

import io.bedrockgateway.launcher.EmbeddedGateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The gateway in-process, for tests: embedded Tomcat on {@code 127.0.0.1}, a free port, the ROOT context from the
 * {@code webapp/} directory (so {@code WEB-INF/web.xml} registers the bootstrap) with classes from the test class
 * path. Tomcat is configured by the same {@link EmbeddedGateway} and {@code ConnectorSettings} as
 * {@code java -jar}: h2c (prior knowledge and upgrade), {@code %2F} passed through.
 *
 * <pre>{@code
 * try (GatewayServer gateway = GatewayServer.start(config, Map.of("AWS_REGION", "us-west-2"))) {
 *     client.send(HttpRequest.newBuilder(gateway.uri("/health/readiness")).build(), ...);
 * }
 * }</pre>
 *
 * <p>The gateway reads its settings with {@code Environment.system()}: a system property first, then the
 * environment variable of the same name. So the config path ({@code bedrock.gateway.config}) and the extra settings
 * are set as system properties for the server's lifetime, and {@link #close()} restores the previous values. Those
 * are JVM-wide, hence one server at a time per JVM: {@link #start} fails while another one is open. Servers may be
 * started one after another, each with its own config. Static state inside the gateway's own classes is not reset
 * between them: they are loaded once, from the test class path.
 *
 * <p>Thread-safe. Start and close run on a named thread and give up after {@link #START_TIMEOUT_SECONDS} and
 * {@link #STOP_TIMEOUT_SECONDS}.
 */
public final class GatewayServer implements AutoCloseable {
    public static final String CONFIG_PROPERTY = "bedrock.gateway.config";
    public static final long START_TIMEOUT_SECONDS = 60;
    public static final long STOP_TIMEOUT_SECONDS = 30;
    private static final AtomicReference<GatewayServer> OPEN = new AtomicReference<>();

    private final Map<String, String> previousProperties = new LinkedHashMap<>();
    private final Path baseDir;
    private volatile EmbeddedGateway tomcat;

    private GatewayServer(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** Starts the gateway with {@code config}; see {@link #start(Path, Map)}. */
    public static GatewayServer start(Path config) {
        return start(config, Map.of());
    }

    /**
     * Starts the gateway with {@code config} and {@code settings} (names as the gateway reads them, e.g.
     * {@code AWS_REGION} or {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME}), and returns once it listens and the webapp has
     * started.
     *
     * @throws IllegalStateException if another server is open, or the gateway failed to start: the message is the
     *                               one line the gateway gives, as {@code java -jar} prints it
     */
    public static GatewayServer start(Path config, Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        Path configFile = config.toAbsolutePath().normalize();
        if (!Files.isRegularFile(configFile)) {
            throw new IllegalArgumentException("config file not found: " + configFile);
        }
        GatewayServer server = new GatewayServer(createBaseDir());
        if (!OPEN.compareAndSet(null, server)) {
            deleteTree(server.baseDir);
            throw new IllegalStateException("another GatewayServer is open (" + OPEN.get().baseUrl()
                    + "); close it first: its settings are JVM-wide system properties");
        }
        try {
            server.setProperty(CONFIG_PROPERTY, configFile.toString());
            settings.forEach(server::setProperty);
            server.tomcat = onNamedThread("gateway-server-start", START_TIMEOUT_SECONDS,
                    () -> EmbeddedGateway.start(webappDirectory(), "127.0.0.1", 0, server.baseDir));
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    public String baseUrl() {
        EmbeddedGateway started = tomcat;
        return "http://127.0.0.1:" + (started == null ? "?" : started.port());
    }

    /** {@code baseUrl() + path}; {@code path} starts with {@code /} and is already percent-encoded. */
    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    public int port() {
        return tomcat.port();
    }

    /** Stops the gateway ({@code contextDestroyed} runs), restores the system properties. Idempotent. */
    @Override
    public void close() {
        try {
            EmbeddedGateway started = tomcat;
            tomcat = null;
            if (started != null) {
                onNamedThread("gateway-server-stop", STOP_TIMEOUT_SECONDS, () -> {
                    started.close();
                    return null;
                });
            }
        } finally {
            synchronized (previousProperties) {
                previousProperties.forEach((name, value) -> {
                    if (value == null) {
                        System.clearProperty(name);
                    } else {
                        System.setProperty(name, value);
                    }
                });
                previousProperties.clear();
            }
            deleteTree(baseDir);
            OPEN.compareAndSet(this, null);
        }
    }

    private void setProperty(String name, String value) {
        synchronized (previousProperties) {
            if (!previousProperties.containsKey(name)) {
                previousProperties.put(name, System.getProperty(name));
            }
        }
        System.setProperty(name, value);
    }

    /** {@code webapp/} of this project; Maven runs tests with the project as the working directory. */
    static Path webappDirectory() {
        Path webapp = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("webapp");
        if (!Files.isRegularFile(webapp.resolve("WEB-INF/web.xml"))) {
            throw new IllegalStateException("no webapp/WEB-INF/web.xml under " + webapp.getParent()
                    + "; run tests from the project directory or set -Dbasedir");
        }
        return webapp;
    }

    private static <T> T onNamedThread(String name, long timeoutSeconds, Callable<T> task) {
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        });
        Future<T> result = thread.submit(task);
        try {
            return result.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(name + ": " + cause, cause);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " interrupted", e);
        } finally {
            thread.shutdown();
        }
    }

    private static Path createBaseDir() {
        try {
            return Files.createTempDirectory("gateway-server-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp directory; not worth failing a test for
        }
    }
}
