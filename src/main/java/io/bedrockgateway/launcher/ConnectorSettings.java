package io.bedrockgateway.launcher;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The gateway's HTTP connector, in one place for {@code java -jar} and the in-process test server. Keep
 * {@code tomcat-conf/server.xml} in step with it. Uses the Tomcat API, so it lives only in class loaders that see
 * Tomcat (the launcher loader, or a test class path); the JDK-only launcher never links it. Stateless and
 * thread-safe.
 */
public final class ConnectorSettings {
    /** Upper bound of request-processing threads; streaming runs asynchronously, so threads are not held. */
    public static final int MAX_THREADS = 200;
    public static final int MIN_SPARE_THREADS = 10;
    /** Time to receive the request line and headers of a new request. */
    public static final int CONNECTION_TIMEOUT_MS = 20_000;
    /**
     * Idle keep-alive, HTTP/1.1 and HTTP/2. Above the 60 s idle timeout of common load balancers, so that they,
     * not we, close an idle pooled connection, and never race a request onto a connection we are closing.
     */
    public static final int KEEP_ALIVE_TIMEOUT_MS = 65_000;
    public static final int MAX_KEEP_ALIVE_REQUESTS = 1_000;

    private ConnectorSettings() {
    }

    /**
     * A NIO connector on {@code host:port} (port 0: any free port; read it back with
     * {@link Connector#getLocalPort()} after start) serving HTTP/1.1 and h2c, by prior knowledge and by
     * {@code Upgrade: h2c}.
     *
     * @throws IllegalArgumentException when {@code host} does not resolve
     */
    public static Connector newConnector(String host, int port) {
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setPort(port);
        // Inference-profile ARNs carry %2F inside one path segment; Tomcat's default rejects them with 400.
        // Passed through, getRequestURI() keeps %2F and the servlet forwards it upstream unchanged.
        connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
        AbstractHttp11Protocol<?> http = (AbstractHttp11Protocol<?>) connector.getProtocolHandler();
        http.setAddress(resolve(host));
        http.setMaxThreads(MAX_THREADS);
        http.setMinSpareThreads(MIN_SPARE_THREADS);
        http.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        http.setKeepAliveTimeout(KEEP_ALIVE_TIMEOUT_MS);
        http.setMaxKeepAliveRequests(MAX_KEEP_ALIVE_REQUESTS);
        connector.addUpgradeProtocol(newHttp2Protocol());
        return connector;
    }

    /**
     * h2c: also answers a connection that opens with the HTTP/2 preface (the JavaScript SDK does), and lets the
     * streams of a client that sent {@code GOAWAY} finish (see {@link GracefulGoawayHttp2Protocol}).
     */
    private static Http2Protocol newHttp2Protocol() {
        Http2Protocol http2 = new GracefulGoawayHttp2Protocol();
        http2.setKeepAliveTimeout(KEEP_ALIVE_TIMEOUT_MS);
        return http2;
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host '" + host + "'", e);
        }
    }
}
