package io.bedrockgateway.config;

import io.bedrockgateway.upstream.CredentialsFactory;
import io.bedrockgateway.upstream.CredentialsSource;
import io.bedrockgateway.upstream.CredentialsSpec;
import io.bedrockgateway.upstream.UpstreamAuth;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shared helpers: a recording credentials factory (never AWS), YAML in a temp dir, captured warnings. */
abstract class ConfigLoaderTestSupport {
    @TempDir
    Path dir;
    final List<CredentialsSpec> created = new CopyOnWriteArrayList<>();
    final CredentialsFactory factory = spec -> {
        created.add(spec);
        return new FakeSource(spec);
    };
    String profileRegion;

    GatewayConfig load(String yaml) throws Exception {
        return load(yaml, Map.of());
    }

    GatewayConfig load(String yaml, Map<String, String> env) throws Exception {
        return ConfigLoader.load(write(yaml), Environment.of(env), factory, () -> profileRegion);
    }

    /** Asserts loading fails and returns the message. */
    String failure(String yaml, Map<String, String> env) throws IOException {
        Path file = write(yaml);
        return assertThrows(ConfigException.class,
                () -> ConfigLoader.load(file, Environment.of(env), factory, () -> profileRegion)).getMessage();
    }

    String failure(String yaml) throws IOException {
        return failure(yaml, Map.of("AWS_REGION", "us-east-1"));
    }

    void assertFailure(String expected, String yaml) throws IOException {
        assertEquals(expected, failure(yaml));
    }

    Path write(String yaml) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    static CredentialsSpec spec(UpstreamAuth auth) {
        return ((FakeSource) assertInstanceOf(UpstreamAuth.SigV4.class, auth).credentials()).spec;
    }

    /** Collects the config package's log records while {@code action} runs. */
    static List<LogRecord> logsOf(ThrowingRunnable action) throws Exception {
        Logger logger = Logger.getLogger("io.bedrockgateway.config");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return records;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static final class FakeSource implements CredentialsSource {
        final CredentialsSpec spec;

        FakeSource(CredentialsSpec spec) {
            this.spec = spec;
        }

        @Override
        public CompletableFuture<AwsCredentialsIdentity> resolve() {
            throw new AssertionError("loading the config must not resolve credentials");
        }

        @Override
        public String describe() {
            return "fake:" + spec;
        }
    }
}
