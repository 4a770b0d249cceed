package io.bedrockgateway.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar target/bedrock-gateway.war} as a subprocess: start-up, requests, SIGTERM, and the failures. */
class ExecutableWarIT {
    private static final Pattern LISTENING =
            Pattern.compile("bedrock-gateway listening on http://127\\.0\\.0\\.1:(\\d+)/bedrock");
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void startsServesAndStopsOnSigterm() throws Exception {
        Launched gateway = launch("--config", ownConfig().toString(), "--port", "0", "--host", "127.0.0.1");
        int port = gateway.awaitListening();
        String base = "http://127.0.0.1:" + port;

        assertEquals(200, HttpProbe.get(java.net.URI.create(base + "/health/liveliness")).statusCode());
        assertEquals(200, HttpProbe.getWithH2cPriorKnowledge(java.net.URI.create(base + "/health/readiness"))
                .getCode());
        assertNotEquals(400, HttpProbe.get(java.net.URI.create(base + HttpProbe.ARN_CONVERSE_PATH)).statusCode());

        // SIGTERM; unlike Process.destroy(), ProcessHandle.destroy() leaves the output streams open to read.
        assertTrue(gateway.process.toHandle().destroy());
        assertTrue(gateway.process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "still running after SIGTERM");
        assertEquals(143, gateway.process.exitValue(), gateway.output());
        gateway.drained();
        assertTrue(gateway.stdout.contains("bedrock-gateway stopped"), gateway.output());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "temp directory not cleaned up");
        }
    }

    @Test
    void missingConfigOption() throws Exception {
        assertFailsWithOneLine(2, "bedrock-gateway: --config FILE is required (see --help)", "--port", "0");
    }

    @Test
    void configFileNotFound() throws Exception {
        Path missing = tmp.resolve("missing.yaml");
        assertFailsWithOneLine(2, "bedrock-gateway: config file not found: " + missing, "--config", missing.toString());
    }

    /**
     * The IT config with a database of this test's own: the standalone Tomcat of the other IT keeps the shared
     * config's embedded database open (and locked) meanwhile.
     */
    private Path ownConfig() throws IOException {
        if (ownConfig == null) {
            // Not in tmp: that directory is the launcher's, and a test checks the launcher leaves it empty.
            Path dir = Files.createTempDirectory("executable-war-it-");
            String config = Files.readString(ItSettings.config());
            ownConfig = Files.writeString(dir.resolve("gateway.yaml"), config.replaceAll(
                    "(?m)^  database_path: .*$", "  database_path: \"" + dir.resolve("data") + "\""));
        }
        return ownConfig;
    }

    private Path ownConfig;

    @Test
    void invalidConfigFailsWithTheFieldNamed() throws Exception {
        Path bad = Files.createTempFile("bad-gateway", ".yaml");
        Files.writeString(bad, "model_list:\n  - model_name: gpt\n    litellm_params:\n      model: openai/gpt-4\n");
        try {
            assertFailsWithOneLine(1, "bedrock-gateway: invalid config: model_list[0] (gpt): litellm_params.model "
                    + "'openai/gpt-4' is not a Bedrock model (expected bedrock/<model id or ARN>)",
                    "--config", bad.toString(), "--port", "0");
        } finally {
            Files.deleteIfExists(bad);
        }
    }

    @Test
    void badArguments() throws Exception {
        assertFailsWithOneLine(2, "bedrock-gateway: --port must be a number from 0 to 65535, not 'abc' (see --help)",
                "--config", ownConfig().toString(), "--port", "abc");
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertFailsWithOneLine(1, "bedrock-gateway: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use", "--config", ownConfig().toString(),
                    "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()));
        }
    }

    @Test
    void help() throws Exception {
        Launched help = launch("--help");
        assertTrue(help.process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, help.process.exitValue());
        help.drained();
        assertTrue(help.stdout.stream().anyMatch(line -> line.contains("default 4000")), help.output());
    }

    private void assertFailsWithOneLine(int exitCode, String line, String... args) throws Exception {
        Launched launched = launch(args);
        assertTrue(launched.process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "did not fail fast");
        launched.drained();
        assertEquals(exitCode, launched.process.exitValue(), launched.output());
        assertEquals(List.of(line), launched.stderr, launched.output());
        assertEquals(List.of(), launched.stdout, launched.output());
    }

    private Launched launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-jar", ItSettings.war().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .start();
        started.add(process);
        return new Launched(process);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** A launched WAR; its output is read on named threads. */
    private static final class Launched {
        final Process process;
        final List<String> stdout = new CopyOnWriteArrayList<>();
        final List<String> stderr = new CopyOnWriteArrayList<>();
        private final Thread outReader;
        private final Thread errReader;

        Launched(Process process) {
            this.process = process;
            outReader = reader("war-stdout", process.getInputStream(), stdout);
            errReader = reader("war-stderr", process.getErrorStream(), stderr);
        }

        int awaitListening() throws InterruptedException {
            long deadline = System.nanoTime() + ItSettings.startupTimeout().toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : stdout) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.matches()) {
                        return Integer.parseInt(matcher.group(1));
                    }
                }
                if (!process.isAlive()) {
                    drained();
                    throw new AssertionError("exited with " + process.exitValue() + " before listening\n" + output());
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no listening line within " + ItSettings.startupTimeout() + "\n" + output());
        }

        /** Waits for both streams to reach end of file (after the process exited). */
        void drained() throws InterruptedException {
            outReader.join(EXIT_TIMEOUT.toMillis());
            errReader.join(EXIT_TIMEOUT.toMillis());
        }

        String output() {
            return "stdout: " + stdout + "\nstderr: " + stderr;
        }

        private static Thread reader(String name, InputStream stream, List<String> lines) {
            Thread thread = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("<" + e + ">");
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }
    }
}
