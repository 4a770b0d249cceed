package io.bedrockgateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A servlet container started as a process for an IT (its start script may fork the JVM), with its output in a
 * file. {@link #stop} ends the whole process tree. Not thread-safe; one test class drives it.
 */
final class ServerProcess {
    private final Process process;
    private final Path log;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code builder} with stdout and stderr going to {@code log}, and no console input. */
    static ServerProcess start(ProcessBuilder builder, Path log) throws IOException {
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        return new ServerProcess(process, log);
    }

    /** What a test waits for: a marker file, an HTTP answer. An {@link IOException} means "not yet". */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws IOException, InterruptedException;
    }

    /**
     * Waits until {@code ready} holds. Fails the test, with the end of the server's output, when the server exits
     * first or {@code timeout} passes.
     */
    void await(String what, Duration timeout, Condition ready) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the server exited with " + process.exitValue() + " before " + what + "\n" + tail());
            }
            try {
                if (ready.holds()) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening, or not written, yet.
            }
            Thread.sleep(200);
        }
        fail(what + ": not within " + timeout + "\n" + tail());
    }

    /** The last 40 lines of its output, for a failure message. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** SIGTERM to the process and everything it started; SIGKILL to what is still running 30 s later. */
    void stop() {
        List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception stillRunning) {
                handle.destroyForcibly();
            }
        }
    }

    /** A port that build-helper reserved, passed by failsafe as a system property. */
    static int port(String property) {
        return Integer.parseInt(System.getProperty(property));
    }

    /** Copies the directory tree {@code from} to {@code to}. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(source -> {
                try {
                    Path target = to.resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
