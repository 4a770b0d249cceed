package io.bedrockgateway.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bench/run --smoke} against the packaged WAR, as a subprocess with a timeout, and checks that it
 * completes and prints its table. It asserts nothing about speed: a smoke run is seconds long on a shared machine.
 * Exit code 77 (wrk or nginx missing and not installable without root) skips the test instead of failing it.
 */
class BenchmarkSmokeIT {
    private static final long TIMEOUT_SECONDS = 300; // includes apt-get on a machine without wrk and nginx

    @Test
    void smokeRunPrintsItsTable() throws Exception {
        Path project = Path.of(System.getProperty("user.dir"));
        Path script = project.resolve("bench/run");
        Assumptions.assumeTrue(Files.isExecutable(script), "bench/run not found under " + project);
        Path output = Files.createTempFile("bench-smoke", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(script.toString(), "--smoke").directory(project.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            String war = System.getProperty("it.war");
            if (war != null) {
                builder.environment().put("BENCH_WAR", war);
            }
            Process process = builder.start();
            boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroy(); // the script's trap stops the gateway, nginx and the upstream
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(finished, "bench/run --smoke did not finish in " + TIMEOUT_SECONDS + " s:\n" + log);
            Assumptions.assumeFalse(process.exitValue() == 77, "benchmark prerequisites unavailable:\n" + log);
            assertEquals(0, process.exitValue(), log);
            assertTrue(log.contains("| Measure | direct | nginx | gateway |"), log);
            for (String row : new String[] {"Converse latency p99, c=1", "Converse req/s, c=128",
                    "Stream TTFB p99, 200 open streams", "Stream TTFB p99, burst of 200 at once",
                    "Peak RSS while streaming", "Machine: nproc"}) {
                assertTrue(log.contains(row), "no '" + row + "' in:\n" + log);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
