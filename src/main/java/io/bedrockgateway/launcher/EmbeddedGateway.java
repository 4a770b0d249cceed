package io.bedrockgateway.launcher;

import org.apache.catalina.Context;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gateway in an embedded Tomcat: one connector ({@link ConnectorSettings}) and the webapp as the ROOT context,
 * so that URLs are {@code /bedrock/...} and {@code /health/...}. Used by {@code java -jar} (docBase: the WAR file,
 * expanded under the base directory, as a standalone Tomcat would) and by the in-process test server (docBase: the
 * {@code webapp/} directory, classes from the test class path).
 *
 * <p>{@link #start} returns only once the connector listens and the webapp is available; otherwise it stops what
 * it started and throws {@link IllegalStateException} with one line: the bind error, or the webapp's own
 * {@value #STARTUP_ERROR_ATTRIBUTE} context attribute. The launcher calls this class by reflection from another
 * class loader, so its public signatures use JDK types only. Thread-safe.
 *
 * <p>JVM-wide side effects: Tomcat's loggers ({@code org.apache.*}) go to WARNING unless configured otherwise, and
 * during {@link #start} the root logger's output is held back ({@link StartupLogBuffer}).
 */
public final class EmbeddedGateway implements AutoCloseable {
    /** Context attribute in which the webapp explains a start-up failure (see {@code GatewayBootstrap}). */
    public static final String STARTUP_ERROR_ATTRIBUTE = "io.bedrockgateway.startupError";
    private static final Logger LOG = Logger.getLogger(EmbeddedGateway.class.getName());
    /** Held strongly: JUL keeps loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> QUIETED = List.of(
            Logger.getLogger("org.apache.catalina"), Logger.getLogger("org.apache.coyote"),
            Logger.getLogger("org.apache.tomcat"));
    /** {@code ServletContext.log} of the ROOT context, under {@code org.apache.catalina} but the webapp's own. */
    private static final Logger WEBAPP_LOG =
            Logger.getLogger("org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[]");

    private final Tomcat tomcat;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedGateway(Tomcat tomcat, int port) {
        this.tomcat = tomcat;
        this.port = port;
    }

    /**
     * Starts Tomcat with the webapp at {@code docBase} (a WAR file or a directory) as the ROOT context.
     *
     * @param baseDir Tomcat's {@code catalina.base}: work directory, expanded WAR; the caller owns and deletes it
     * @throws IllegalStateException with a one-line reason when the connector or the webapp fails to start
     */
    public static EmbeddedGateway start(Path docBase, String host, int port, Path baseDir) throws IOException {
        quietTomcatInfo();
        // As a standalone Tomcat's JreMemoryLeakPreventionListener: DriverManager loads its drivers now, from the
        // launcher's class loader. Left lazy, it first runs when Tomcat stops the webapp, loads the webapp's own
        // JDBC drivers (WEB-INF/lib) then, and Tomcat reports them as leaked, on stderr.
        DriverManager.getDrivers();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = ConnectorSettings.newConnector(host, port);
        tomcat.setConnector(connector);
        Host tomcatHost = tomcat.getHost();
        Files.createDirectories(baseDir.resolve(tomcatHost.getAppBase()));
        tomcatHost.setAutoDeploy(false);
        tomcatHost.getPipeline().addValve(quietErrorReportValve());
        Context context = addWebapp(tomcat, docBase);
        StartupErrorCapture startupError = new StartupErrorCapture();
        context.addLifecycleListener(startupError);

        StartupLogBuffer log = StartupLogBuffer.capture();
        Failure failure;
        try {
            failure = startTomcat(tomcat, connector, context, startupError, log, host, port);
        } catch (LifecycleException | RuntimeException e) {
            log.close();
            stopQuietly(tomcat);
            throw new IllegalStateException("embedded Tomcat failed to start: " + e, e);
        }
        if (failure == null) {
            log.close();
            LOG.info(() -> ServerInfo.getServerInfo() + ": HTTP/1.1 and h2c on " + host + ":"
                    + connector.getLocalPort() + ", webapp " + docBase);
            return new EmbeddedGateway(tomcat, connector.getLocalPort());
        }
        // An explained failure replaces Tomcat's stack traces by its one line; warnings and info stay.
        boolean explained = failure.explained();
        log.release(record -> !explained || record.getLevel().intValue() < Level.SEVERE.intValue());
        stopQuietly(tomcat);
        throw new IllegalStateException(failure.message());
    }

    private static Failure startTomcat(Tomcat tomcat, Connector connector, Context context,
                                       StartupErrorCapture startupError, StartupLogBuffer log, String host, int port)
            throws LifecycleException {
        // init() binds the port: fail on a taken port before the webapp starts and logs as if all was well.
        tomcat.init();
        Failure failure = bindFailure(connector, log, host, port);
        if (failure != null) {
            return failure;
        }
        tomcat.start();
        failure = bindFailure(connector, log, host, port);
        return failure != null ? failure : webappFailure(context, startupError);
    }

    /** The port the connector listens on (the real one when started with port 0). */
    public int port() {
        return port;
    }

    /** Stops the webapp ({@code contextDestroyed} runs) and Tomcat. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stopQuietly(tomcat);
        }
    }

    private static Context addWebapp(Tomcat tomcat, Path docBase) {
        tomcat.setAddDefaultWebXmlToWebapp(false);
        ContextConfig config = new ContextConfig();
        // No global conf/web.xml: WebappDefaults adds what a standalone Tomcat's would, minus JSP.
        config.setDefaultWebXml(tomcat.noDefaultWebXmlPath());
        Context context = tomcat.addWebapp(tomcat.getHost(), "", docBase.toString(), config);
        context.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                // Overridable, as in a standalone Tomcat's conf/web.xml: the gateway maps its own "/" servlet
                // (AWS-shaped 404s), which also keeps the launcher classes at the WAR root from being served.
                Wrapper defaultServlet =
                        Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
                defaultServlet.setLoadOnStartup(1);
                defaultServlet.setOverridable(true);
                context.addServletMappingDecoded("/", "default");
                Tomcat.addDefaultMimeTypeMappings(context);
            }
        });
        context.setParentClassLoader(EmbeddedGateway.class.getClassLoader());
        context.setManager(statelessManager());
        // No sessions, so no session cookie: Tomcat then skips parsing the Cookie header of every request.
        context.setCookies(false);
        return context;
    }

    private static Failure bindFailure(Connector connector, StartupLogBuffer log, String host, int port) {
        if (connector.getState() != LifecycleState.FAILED && connector.getLocalPort() >= 0) {
            return null;
        }
        SocketException cause = log.find(SocketException.class);
        String where = "cannot listen on " + host + ":" + port;
        return cause != null ? new Failure(where + ": " + cause.getMessage(), true)
                : new Failure(where + "; see the log above", false);
    }

    private static Failure webappFailure(Context context, StartupErrorCapture startupError) {
        if (context.getState() == LifecycleState.STARTED) {
            return null;
        }
        String error = startupError.error();
        return error != null ? new Failure(error, true)
                : new Failure("the webapp failed to start; see the log above", false);
    }

    /** Why start-up failed; {@code explained}: the message says it all, Tomcat's stack traces add nothing. */
    private record Failure(String message, boolean explained) {
    }

    /**
     * The gateway keeps no sessions: none are persisted across restarts, and session ids come from the platform's
     * SecureRandom, not SHA1PRNG, whose seeding can stall start-up. Same as {@code tomcat-conf/context.xml}.
     */
    private static StandardManager statelessManager() {
        StandardManager manager = new StandardManager();
        manager.setPathname(null);
        manager.setSecureRandomAlgorithm("");
        return manager;
    }

    /** Like a production server.xml: error pages name neither Tomcat nor its version, nor show a stack trace. */
    private static ErrorReportValve quietErrorReportValve() {
        ErrorReportValve valve = new ErrorReportValve();
        valve.setShowReport(false);
        valve.setShowServerInfo(false);
        return valve;
    }

    /** Leaves Tomcat's warnings and the webapp's own log; drops Tomcat's many start and stop lines. */
    private static void quietTomcatInfo() {
        for (Logger logger : QUIETED) {
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARNING);
            }
        }
        if (WEBAPP_LOG.getLevel() == null) {
            WEBAPP_LOG.setLevel(Level.INFO);
        }
    }

    private static void stopQuietly(Tomcat tomcat) {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException | RuntimeException e) {
            LOG.log(Level.WARNING, "embedded Tomcat did not stop cleanly", e);
        }
    }

    /**
     * Reads the webapp's {@value #STARTUP_ERROR_ATTRIBUTE} when a failed context is stopped, before Tomcat clears
     * the context attributes.
     */
    private static final class StartupErrorCapture implements LifecycleListener {
        private volatile String error;

        @Override
        public void lifecycleEvent(LifecycleEvent event) {
            if (Lifecycle.BEFORE_STOP_EVENT.equals(event.getType()) && error == null) {
                Context context = (Context) event.getLifecycle();
                Object value = context.getServletContext().getAttribute(STARTUP_ERROR_ATTRIBUTE);
                if (value != null) {
                    error = value.toString().replaceAll("\\s*\\R\\s*", " ");
                }
            }
        }

        String error() {
            return error;
        }
    }
}
