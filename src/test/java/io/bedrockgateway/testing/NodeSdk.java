package io.bedrockgateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the scripts of {@code src/test/js/sdk-check} with Node.js and the AWS SDK for JavaScript v3, at the versions
 * pinned in its {@code package.json}, installed with {@code npm} into {@code target/js-sdk-check} the first time a
 * build directory needs them.
 *
 * <p>Thread-safe: installation is serialized; each run is a process of its own.
 */
public final class NodeSdk {
    private static final Path SOURCES = Path.of("src/test/js/sdk-check");
    private static final Path WORK = Path.of("target/js-sdk-check");
    private static final List<String> PACKAGES =
            List.of("@aws-sdk/client-bedrock-runtime", "@aws-sdk/client-bedrock-agent-runtime");

    /** Null until the first {@link #available()}; guarded by the class. */
    private static Boolean available;

    private NodeSdk() {
    }

    /** Whether {@code node} and {@code npm} run here; asked once per JVM. */
    public static synchronized boolean available() {
        if (available == null) {
            available = runs("node") && runs("npm");
        }
        return available;
    }

    /**
     * Copies the scripts into the work directory and installs the SDK there unless it already is.
     *
     * @throws IOException when {@code npm install} fails (its output is the message)
     */
    public static synchronized void install() throws IOException {
        Files.createDirectories(WORK);
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.toList()) {
                Files.copy(file, WORK.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        boolean installed = PACKAGES.stream().allMatch(p -> Files.isDirectory(WORK.resolve("node_modules").resolve(p)));
        if (!installed) {
            Result npm = run(List.of("npm", "install", "--no-audit", "--no-fund", "--no-package-lock"), Map.of(), 240);
            if (npm.exit() != 0) {
                throw new IOException("npm install of the JavaScript SDK failed (" + npm.exit() + "): " + npm.output());
            }
        }
    }

    /**
     * Runs {@code node <script> <args...>} in the work directory, with {@code env} added to this process's
     * environment (less any {@code AWS_BEARER_TOKEN_BEDROCK} of its own), stdout and stderr together.
     */
    public static Result node(String script, List<String> args, Map<String, String> env, long timeoutSeconds)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        return run(command, env, timeoutSeconds);
    }

    /** What a process printed and how it ended; {@code exit} is -1 when it was stopped at its timeout. */
    public record Result(int exit, String output) {
        /** The last line that starts with '{': the JSON the scripts print last. */
        public String lastJsonLine() {
            return output.lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b).orElse("");
        }
    }

    private static boolean runs(String command) {
        try {
            return run(List.of(command, "--version"), Map.of(), 30).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Result run(List<String> command, Map<String, String> env, long timeoutSeconds) throws IOException {
        Files.createDirectories(WORK);
        Path log = Files.createTempFile(WORK, "run-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("AWS_BEARER_TOKEN_BEDROCK");
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(process.exitValue(), output);
    }
}
