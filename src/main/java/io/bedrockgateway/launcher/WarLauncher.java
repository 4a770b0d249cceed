package io.bedrockgateway.launcher;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;

/**
 * {@code Main-Class} of {@code bedrock-gateway.war}: starts the gateway in an embedded Tomcat. JDK only, because it
 * runs from the system class loader, where the WAR's root is the whole class path. It extracts the embedded server's
 * jars, builds the launcher class loader over them and the WAR root, and calls {@code EmbeddedGateway} there. See
 * the package comment for the class-loader layout.
 *
 * <p>Every failure before the server listens is one line on stderr and a non-zero exit: 2 for the command line
 * and the config file, 1 for the rest. Once it listens, SIGTERM or Ctrl-C stops Tomcat (so listeners see
 * {@code contextDestroyed}) and removes the temp directory. Not thread-safe: one instance per process.
 */
public final class WarLauncher {
    static final String CONFIG_PROPERTY = "bedrock.gateway.config";
    private static final String NAME = "bedrock-gateway";
    private static final String SERVER_CLASS = "io.bedrockgateway.launcher.EmbeddedGateway";
    private static final int EXIT_START_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    private final LaunchOptions options;
    private final CountDownLatch stopped = new CountDownLatch(1);
    // Written by main, read by the shutdown hook.
    private volatile WorkDirectory workDirectory;
    private volatile URLClassLoader loader;
    private volatile AutoCloseable server;

    private WarLauncher(LaunchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.help()) {
            out.print(LaunchOptions.USAGE);
            return;
        }
        installLogging();
        WarLauncher launcher = new WarLauncher(options);
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::stop, NAME + "-shutdown"));
        int port;
        try {
            port = launcher.start();
        } catch (Exception e) {
            err.println(NAME + ": " + oneLine(e));
            System.exit(EXIT_START_FAILED);
            return;
        }
        out.println(NAME + " listening on " + options.endpoint(port));
        out.flush();
        // Tomcat's threads are daemons: keep the JVM up until the shutdown hook has stopped the server.
        launcher.stopped.await();
    }

    /**
     * One line per record, and {@link LauncherLogManager} unless logging was configured otherwise. Here rather than
     * in LauncherLogManager: initializing a LogManager subclass initializes LogManager first, which reads
     * {@code java.util.logging.manager} before it could be set.
     */
    private static void installLogging() {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "io.bedrockgateway.launcher.LauncherLogManager");
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n");
        }
        LogManager.getLogManager();
    }

    private int start() throws Exception {
        Path war = warFile();
        System.setProperty(CONFIG_PROPERTY, options.config().toString());
        workDirectory = WorkDirectory.create();
        List<URL> urls = new ArrayList<>(workDirectory.extractProvidedJars(war));
        urls.add(war.toUri().toURL());
        loader = new URLClassLoader(NAME + "-launcher", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Class<?> serverClass = Class.forName(SERVER_CLASS, true, loader);
        Method start = serverClass.getMethod("start", Path.class, String.class, int.class, Path.class);
        try {
            server = (AutoCloseable) start.invoke(null, war, options.host(), options.port(),
                    workDirectory.tomcatBase());
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        return (int) serverClass.getMethod("port").invoke(server);
    }

    /** The shutdown hook: stop Tomcat, then logging, then remove the temp directory. */
    private void stop() {
        try {
            if (server != null) {
                server.close();
                System.out.println(NAME + " stopped");
            }
        } catch (Exception e) {
            System.err.println(NAME + ": error while stopping: " + oneLine(e));
        } finally {
            LauncherLogManager.resetFinally();
            closeQuietly(loader);
            if (workDirectory != null) {
                workDirectory.delete();
            }
            stopped.countDown();
        }
    }

    private static Path warFile() throws URISyntaxException {
        CodeSource source = WarLauncher.class.getProtectionDomain().getCodeSource();
        Path path = source == null ? null : Path.of(source.getLocation().toURI());
        if (path == null || !Files.isRegularFile(path)) {
            throw new IllegalStateException("start it with java -jar bedrock-gateway.war (not from " + path + ")");
        }
        return path;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.replaceAll("\\s*\\R\\s*", " ");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            // exiting anyway
        }
    }
}
