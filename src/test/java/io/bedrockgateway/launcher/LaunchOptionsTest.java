package io.bedrockgateway.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaunchOptionsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAndBothOptionSyntaxes() throws IOException {
        Path config = Files.writeString(dir.resolve("gateway.yaml"), "model_list: []\n");

        LaunchOptions defaults = LaunchOptions.parse("--config", config.toString());
        assertEquals(config, defaults.config());
        assertEquals("0.0.0.0", defaults.host());
        assertEquals(4000, defaults.port());
        assertEquals("http://0.0.0.0:4000/bedrock", defaults.endpoint(4000));

        LaunchOptions given = LaunchOptions.parse("--config=" + config, "--port=0", "--host", "::1");
        assertEquals(0, given.port());
        assertEquals("http://[::1]:41234/bedrock", given.endpoint(41234));
    }

    @Test
    void helpWinsOverEverythingElse() {
        assertTrue(LaunchOptions.parse("--port", "x", "--help").help());
        assertTrue(LaunchOptions.parse("-h").help());
        assertTrue(LaunchOptions.USAGE.contains("default 4000") && LaunchOptions.USAGE.contains("default 0.0.0.0"));
    }

    @Test
    void oneLineErrors() throws IOException {
        Path config = Files.writeString(dir.resolve("gateway.yaml"), "model_list: []\n");
        String c = config.toString();
        assertError("--config FILE is required (see --help)");
        assertError("config file not found: " + dir.resolve("missing.yaml"), "--config", dir.resolve("missing.yaml").toString());
        assertError("config file is not a regular file: " + dir, "--config", dir.toString());
        assertError("--config needs a value (see --help)", "--config");
        assertError("unknown option --prot (see --help)", "--config", c, "--prot", "1");
        assertError("unexpected argument 'serve' (see --help)", "serve", "--config", c);
        assertError("--port must be a number from 0 to 65535, not '65536' (see --help)", "--config", c, "--port", "65536");
        assertError("--port must be a number from 0 to 65535, not 'http' (see --help)", "--config", c, "--port=http");
        assertError("--host: cannot resolve 'no-such-host.invalid' (see --help)", "--config", c, "--host",
                "no-such-host.invalid");
    }

    private static void assertError(String message, String... args) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(args))
                .getMessage());
    }
}
