package io.bedrockgateway.config;

import io.bedrockgateway.upstream.CredentialsFactory;
import io.bedrockgateway.upstream.CredentialsSource;
import io.bedrockgateway.upstream.CredentialsSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Config files in a temp dir, closeable fake credentials, bounded waits. */
abstract class LiveConfigTestSupport {
    static final Map<String, String> ENV = Map.of("AWS_REGION", "us-east-1", "MASTER", "sk-one",
            "ROLE_KEY", "AKIAIOSFODNN7EXAMPLE", "ROLE_SECRET", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    @TempDir
    Path dir;
    final List<ClosableSource> sources = new CopyOnWriteArrayList<>();
    final CredentialsFactory factory = spec -> {
        ClosableSource source = new ClosableSource(spec);
        sources.add(source);
        return source;
    };
    final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    static String config(String... aliases) {
        StringBuilder yaml = new StringBuilder("model_list:\n");
        for (String alias : aliases) {
            yaml.append("  - model_name: ").append(alias).append("\n    litellm_params:\n")
                    .append("      model: bedrock/anthropic.claude-3-haiku-20240307-v1:0\n")
                    .append("      aws_region_name: us-west-2\n");
        }
        return yaml.append("general_settings:\n  master_key: os.environ/MASTER\n").toString();
    }

    Path file() {
        return dir.resolve("config.yaml");
    }

    Path write(String yaml) throws IOException {
        return Files.writeString(file(), yaml);
    }

    /** Writes a temporary file and renames it over the config, as editors and config management tools do. */
    void renameOver(String yaml) throws IOException {
        Path temp = Files.writeString(dir.resolve(".config.yaml.tmp"), yaml);
        Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    LiveConfig live(String yaml) throws Exception {
        return live(yaml, Duration.ofMinutes(10));
    }

    LiveConfig live(String yaml, Duration grace) throws Exception {
        write(yaml);
        LiveConfig live = LiveConfig.load(file(), Environment.of(ENV), factory, () -> null, grace);
        toClose.add(live);
        return live;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static final class ClosableSource implements CredentialsSource, AutoCloseable {
        final CredentialsSpec spec;
        final AtomicBoolean closed = new AtomicBoolean();

        ClosableSource(CredentialsSpec spec) {
            this.spec = spec;
        }

        @Override
        public CompletableFuture<AwsCredentialsIdentity> resolve() {
            throw new AssertionError("not used");
        }

        @Override
        public String describe() {
            return "fake:" + spec;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
