package io.bedrockgateway.launcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The command line of {@code java -jar bedrock-gateway.war}. JDK only: it runs before the embedded server's jars are
 * on any class path. Immutable and thread-safe.
 *
 * @param config absolute, normalized path of a readable config file; {@code null} only when {@code help} is set
 * @param host   the address to listen on
 * @param port   the port to listen on; 0 picks a free one
 * @param help   {@code --help} was given; the other fields are then meaningless
 */
public record LaunchOptions(Path config, String host, int port, boolean help) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 4000;

    /** Printed for {@code --help}. */
    public static final String USAGE = """
            Usage: java -jar bedrock-gateway.war --config FILE [--port N] [--host H]

            Runs the gateway in an embedded Tomcat. Clients use http://HOST:PORT/bedrock as their
            bedrock-runtime endpoint; HTTP/1.1 and HTTP/2 cleartext (h2c) are both served.

              --config FILE   gateway config (LiteLLM model_list format); required
              --port N        port to listen on (default 4000; 0 picks a free port, printed at start-up)
              --host H        address to listen on (default 0.0.0.0: all interfaces)
              -h, --help      print this help

            Stop it with SIGTERM or Ctrl-C: the JVM then exits with 143 or 130. Exit status 2: bad arguments or
            an unreadable config file; 1: the server or the gateway failed to start.
            """;

    /**
     * Parses and checks the arguments. Accepts {@code --name value} and {@code --name=value}.
     *
     * @throws IllegalArgumentException with a one-line message for the user
     */
    public static LaunchOptions parse(String... args) {
        try {
            return parseChecked(args);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(CONFIG_FILE) ? e
                    : new IllegalArgumentException(e.getMessage() + " (see --help)");
        }
    }

    private static final String CONFIG_FILE = "config file ";

    private static LaunchOptions parseChecked(String... args) {
        String config = null;
        String host = DEFAULT_HOST;
        String port = String.valueOf(DEFAULT_PORT);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new LaunchOptions(null, host, DEFAULT_PORT, true);
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (!name.equals("--config") && !name.equals("--port") && !name.equals("--host")) {
                throw new IllegalArgumentException(arg.startsWith("-") ? "unknown option " + arg
                        : "unexpected argument '" + arg + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--config" -> config = value;
                case "--port" -> port = value;
                default -> host = value;
            }
        }
        return new LaunchOptions(checkConfig(config), checkHost(host), checkPort(port), false);
    }

    /** The URL clients configure as their bedrock-runtime endpoint, for the given bound port. */
    public String endpoint(int boundPort) {
        String shown = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "http://" + shown + ":" + boundPort + "/bedrock";
    }

    private static Path checkConfig(String value) {
        if (value == null) {
            throw new IllegalArgumentException("--config FILE is required");
        }
        Path path;
        try {
            path = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("--config: not a valid path: " + value);
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(CONFIG_FILE + "not found: " + path);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(CONFIG_FILE + "is not a regular file: " + path);
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(CONFIG_FILE + "is not readable: " + path);
        }
        return path;
    }

    private static int checkPort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the offending value
        }
        throw new IllegalArgumentException("--port must be a number from 0 to 65535, not '" + value + "'");
    }

    private static String checkHost(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        try {
            // Resolve now, so that a typo is a usage error (exit 2) rather than a start-up failure.
            InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host: cannot resolve '" + value + "'");
        }
        return value;
    }
}
