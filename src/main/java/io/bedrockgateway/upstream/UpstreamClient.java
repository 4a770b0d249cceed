package io.bedrockgateway.upstream;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The one pooled, asynchronous HTTP client that carries every upstream request. Owns the connection pool and the
 * I/O reactor threads ({@code gateway-upstream-*}), and is closed when the webapp stops.
 *
 * <p>No automatic retries, redirects, cookies or decompression: the gateway relays what AWS says, and decides
 * about retries itself (only before any byte has gone to the client). Thread-safe.
 */
public final class UpstreamClient implements AutoCloseable {
    private static final int MAX_REQUEST_CONFIGS = 64;
    private final CloseableHttpAsyncClient client;
    private final PoolingAsyncClientConnectionManager connectionManager;
    /** Immutable configs by timeout: deployments have few distinct timeouts; cleared if config reloads pile up. */
    private final Map<Duration, RequestConfig> requestConfigs = new ConcurrentHashMap<>();

    /**
     * @param connectTimeouts connect timeout per upstream host (scheme, name, port); hosts not in it use
     *                        {@code defaultConnectTimeout}. Read on every new connection, so a reloaded config
     *                        applies to new connections.
     */
    public UpstreamClient(Settings settings, Function<HttpHost, Duration> connectTimeouts) {
        Duration fallback = settings.defaultConnectTimeout();
        connectionManager = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(settings.maxConnections()) // only a STRICT pool keeps a total; LAX bounds each host
                .setMaxConnPerRoute(settings.maxConnectionsPerRoute())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                .setConnectionConfigResolver(route -> connectionConfig(route, connectTimeouts, fallback))
                .build();
        client = HttpAsyncClients.custom()
                .setConnectionManager(connectionManager)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(settings.ioThreads())
                        .setTcpNoDelay(true)
                        .setSoKeepAlive(true)
                        // A fixed receive buffer stops kernel autotuning (up to tcp_rmem's max, often 32 MiB)
                        // from soaking up a stream that a slow client has not asked for yet.
                        .setRcvBufSize(settings.socketReceiveBufferBytes())
                        .build())
                .setThreadFactory(new DefaultThreadFactory("gateway-upstream", true))
                .disableAutomaticRetries()
                .disableRedirectHandling()
                // Otherwise every upstream request asks for gzip/deflate and the answer is decoded before the relay:
                // the gateway passes AWS's bytes through as they are, and drops the client's Accept-Encoding.
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .evictExpiredConnections()
                .evictIdleConnections(TimeValue.ofSeconds(settings.idleConnectionSeconds()))
                .build();
        client.start();
    }

    private static ConnectionConfig connectionConfig(HttpRoute route, Function<HttpHost, Duration> timeouts,
                                                     Duration fallback) {
        Duration connect = timeouts.apply(route.getTargetHost());
        return ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connect == null ? fallback : connect))
                .setTimeToLive(TimeValue.ofMinutes(5))
                .build();
    }

    /**
     * Starts one exchange. The response head timeout is the socket timeout of the exchange; body idleness is
     * watched by the relay, which knows whether it waits for upstream or for the client.
     */
    public <T> Future<T> execute(AsyncRequestProducer upstreamRequest, AsyncResponseConsumer<T> consumer,
                                 Duration responseHeadTimeout, FutureCallback<T> callback) {
        if (requestConfigs.size() > MAX_REQUEST_CONFIGS) {
            requestConfigs.clear();
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfigs.computeIfAbsent(responseHeadTimeout, UpstreamClient::requestConfig));
        return client.execute(upstreamRequest, consumer, context, callback);
    }

    private static RequestConfig requestConfig(Duration responseHeadTimeout) {
        return RequestConfig.custom()
                .setResponseTimeout(Timeout.of(responseHeadTimeout))
                .setConnectionRequestTimeout(Timeout.ofSeconds(30))
                .setRedirectsEnabled(false)
                .build();
    }

    /** The connection pool right now: for {@code GET /health} and JMX. Cheap; takes the pool's lock briefly. */
    public PoolStats poolStats() {
        var totals = connectionManager.getTotalStats();
        return new PoolStats(totals.getLeased(), totals.getAvailable(), totals.getPending(), totals.getMax());
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }

    /**
     * Upstream connections, over every route: carrying a call ({@code leased}), kept alive for the next one
     * ({@code available}), calls waiting for a connection ({@code pending}; above 0, the pool is the bottleneck), and
     * the bound: the per-host bound summed over the hosts seen, since the LAX pool bounds each host and keeps no
     * total.
     */
    public record PoolStats(int leased, int available, int pending, int max) {
    }

    /** Pool and reactor sizing. */
    public record Settings(int maxConnections, int maxConnectionsPerRoute, int ioThreads,
                           long idleConnectionSeconds, Duration defaultConnectTimeout, int socketReceiveBufferBytes) {
        public static Settings defaults() {
            return new Settings(2048, 1024, Math.max(1, Runtime.getRuntime().availableProcessors()), 50,
                    Duration.ofSeconds(10), 256 * 1024);
        }
    }
}
