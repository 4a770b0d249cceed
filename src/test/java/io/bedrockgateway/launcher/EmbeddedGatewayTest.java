package io.bedrockgateway.launcher;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EmbeddedGateway} with small test webapps, for what the real gateway cannot show yet. */
class EmbeddedGatewayTest {
    static final String ARN_PATH = "/bedrock/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3A"
            + "inference-profile%2Fus.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse";
    static volatile boolean destroyed;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void encodedSlashReachesTheWebappStillEncoded() throws Exception {
        try (EmbeddedGateway server = EmbeddedGateway.start(webapp(EchoListener.class), "127.0.0.1", 0,
                dir.resolve("base"))) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + ARN_PATH)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode());
            // getPathInfo() decodes %3A but, with passthrough, leaves %2F (and %25) for the application.
            assertEquals("uri=" + ARN_PATH + "\npathInfo=/model/arn:aws:bedrock:us-west-2:123456789012:"
                    + "inference-profile%2Fus.anthropic.claude-3-5-sonnet-20240620-v1:0/converse", response.body());
        }
    }

    @Test
    void closeRunsContextDestroyed() throws Exception {
        destroyed = false;
        EmbeddedGateway server = EmbeddedGateway.start(webapp(EchoListener.class), "127.0.0.1", 0,
                dir.resolve("base"));
        server.close();
        assertTrue(destroyed);
        server.close();
    }

    @Test
    void explainedWebappFailureIsItsOneLineWithoutTomcatStackTraces() throws IOException {
        try (LogCapture log = new LogCapture()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedGateway.start(
                    webapp(ExplainedFailureListener.class), "127.0.0.1", 0, dir.resolve("base")));

            assertEquals("model_list[0] (my-claude): litellm_params.model is missing", e.getMessage());
            assertTrue(log.severe == 0, "SEVERE records replayed: " + log.severe);
        }
    }

    @Test
    void unexplainedWebappFailurePointsToTheLog() throws IOException {
        try (LogCapture log = new LogCapture()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedGateway.start(
                    webapp(UnexplainedFailureListener.class), "127.0.0.1", 0, dir.resolve("base")));

            assertEquals("the webapp failed to start; see the log above", e.getMessage());
            assertTrue(log.severe > 0);
        }
    }

    @Test
    void portInUseIsOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedGateway.start(
                    webapp(EchoListener.class), "127.0.0.1", taken.getLocalPort(), dir.resolve("base")));

            assertEquals("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use",
                    e.getMessage());
        }
    }

    private Path webapp(Class<? extends ServletContextListener> listener) throws IOException {
        Path webapp = Files.createDirectories(dir.resolve("webapp/WEB-INF"));
        Files.writeString(webapp.resolve("web.xml"), """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                  <listener><listener-class>%s</listener-class></listener>
                </web-app>
                """.formatted(listener.getName()));
        return webapp.getParent();
    }

    public static final class EchoListener implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent event) {
            event.getServletContext().addServlet("echo", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    response.getWriter().print("uri=" + request.getRequestURI() + "\npathInfo="
                            + request.getPathInfo());
                }
            }).addMapping("/bedrock/*");
        }

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            destroyed = true;
        }
    }

    public static final class ExplainedFailureListener implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent event) {
            String line = "model_list[0] (my-claude): litellm_params.model is missing";
            event.getServletContext().setAttribute(EmbeddedGateway.STARTUP_ERROR_ATTRIBUTE, line);
            throw new IllegalStateException(line);
        }
    }

    public static final class UnexplainedFailureListener implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent event) {
            throw new IllegalStateException("boom");
        }
    }

    /** Counts SEVERE records that reach the root logger's handlers. */
    private static final class LogCapture extends Handler implements AutoCloseable {
        volatile int severe;

        LogCapture() {
            Logger.getLogger("").addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                severe++;
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }
}
