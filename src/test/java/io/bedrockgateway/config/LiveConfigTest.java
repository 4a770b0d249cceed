package io.bedrockgateway.config;

import io.bedrockgateway.upstream.UpstreamAuth;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveConfigTest extends LiveConfigTestSupport {

    @Test
    void reloadAppliesNewAliasAndNotifiesListeners() throws Exception {
        LiveConfig live = live(config("haiku"));
        List<GatewayConfig> seen = new CopyOnWriteArrayList<>();
        live.addListener(seen::add);
        write(config("haiku", "sonnet"));

        ReloadResult result = live.reload();

        assertEquals(ReloadResult.Status.APPLIED, result.status(), result.message());
        assertEquals(Set.of("haiku", "sonnet"), live.current().routes().aliases());
        assertEquals(List.of(live.current()), seen);
        assertEquals(1, live.stats().applied());
        assertSame(result, live.stats().last());
    }

    @Test
    void identicalContentIsANoOp() throws Exception {
        LiveConfig live = live(config("haiku"));
        GatewayConfig before = live.current();
        AtomicBoolean notified = new AtomicBoolean();
        live.addListener(config -> notified.set(true));
        write(config("haiku"));

        assertEquals(ReloadResult.Status.UNCHANGED, live.reload().status());
        assertSame(before, live.current());
        assertFalse(notified.get());
        assertEquals(1, live.stats().unchanged());
        assertEquals(ReloadResult.Status.APPLIED, live.reload(true).status(), "force loads anyway");
    }

    @Test
    void brokenEditsAreRefusedLoggedAndALaterGoodEditApplies() throws Exception {
        LiveConfig live = live(config("haiku"));
        GatewayConfig before = live.current();
        Map<String, String> broken = Map.of(
                "model_list: [unclosed\n", "YAML syntax error",
                config("haiku").replace("bedrock/anthropic", "openai/gpt"), "model_list[0] (haiku)",
                config("haiku").replace("os.environ/MASTER", "os.environ/NOT_SET"), "NOT_SET is not set");
        for (Map.Entry<String, String> edit : broken.entrySet()) {
            write(edit.getKey());
            AtomicReference<ReloadResult> result = new AtomicReference<>();
            List<LogRecord> logs = ConfigLoaderTestSupport.logsOf(() -> result.set(live.reload()));

            assertEquals(ReloadResult.Status.FAILED, result.get().status());
            assertTrue(result.get().message().contains(edit.getValue()), result.get().message());
            assertTrue(result.get().message().contains(file().toString()), result.get().message());
            List<LogRecord> warnings = logs.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).getMessage().contains(file().toString()));
            assertTrue(warnings.get(0).getMessage().contains(edit.getValue()));
            assertSame(before, live.current());
        }
        assertEquals(3, live.stats().failed());

        write(config("haiku", "sonnet"));
        assertTrue(live.reload().applied());
        assertEquals(Set.of("haiku", "sonnet"), live.current().routes().aliases());
    }

    @Test
    void missingFileIsRefused() throws Exception {
        LiveConfig live = live(config("haiku"));
        Files.delete(file());
        ReloadResult result = live.reload();
        assertEquals(ReloadResult.Status.FAILED, result.status());
        assertTrue(result.message().endsWith("not found"), result.message());
        assertNotNull(live.current());
    }

    @Test
    void firstLoadFailureThrows() throws Exception {
        write("model_list: [unclosed\n");
        assertThrows(ConfigException.class,
                () -> LiveConfig.load(file(), Environment.of(ENV), factory, () -> null, Duration.ZERO));
    }

    @Test
    void throwingListenerIsIsolated() throws Exception {
        LiveConfig live = live(config("haiku"));
        List<String> calls = new CopyOnWriteArrayList<>();
        live.addListener(config -> calls.add("first"));
        live.addListener(config -> {
            throw new IllegalStateException("boom");
        });
        live.addListener(config -> calls.add("third"));
        write(config("sonnet"));

        List<LogRecord> logs = ConfigLoaderTestSupport.logsOf(() -> assertTrue(live.reload().applied()));

        assertEquals(List.of("first", "third"), calls);
        assertEquals(Set.of("sonnet"), live.current().routes().aliases());
        assertTrue(logs.stream().anyMatch(r -> r.getLevel() == Level.WARNING && r.getThrown() != null
                && "boom".equals(r.getThrown().getMessage())));
    }

    @Test
    void unchangedCredentialsAreKeptAndRetiredOnesClosedAfterTheGrace() throws Exception {
        String withKeys = config("haiku");
        String keyed = """
                model_list:
                  - model_name: keyed
                    litellm_params:
                      model: bedrock/anthropic.claude-3-haiku-20240307-v1:0
                      aws_region_name: us-west-2
                      aws_profile_name: team-a
                """;
        LiveConfig live = live(keyed + withKeys.substring("model_list:\n".length()), Duration.ofMillis(50));
        UpstreamAuth defaultAuth = live.current().routes().defaultDeployment().auth();
        ClosableSource profile = sources.stream().filter(s -> s.describe().contains("team-a")).findFirst()
                .orElseThrow();

        write(config("haiku", "sonnet")); // drops the profile, keeps the default chain
        assertTrue(live.reload().applied());

        assertEquals(defaultAuth, live.current().routes().defaultDeployment().auth(), "same source, cache kept");
        assertEquals(2, sources.size(), "no new source for an unchanged spec");
        await("the retired source to close", profile.closed::get);
        assertTrue(sources.stream().filter(s -> s != profile).noneMatch(s -> s.closed.get()));
        live.close();
        assertTrue(sources.stream().allMatch(s -> s.closed.get()), "close() closes the live sources too");
    }

    @Test
    void sourcesOfARefusedLoadAreClosedAtOnce() throws Exception {
        LiveConfig live = live(config("haiku"));
        // The first entry's source is created before the second entry fails.
        write(config("haiku", "bad").replaceFirst("aws_region_name: us-west-2", "aws_region_name: us-west-2\n"
                + "      aws_profile_name: fresh").replace("- model_name: bad\n    litellm_params:\n"
                + "      model: bedrock/", "- model_name: bad\n    litellm_params:\n      model: openai/"));
        assertEquals(ReloadResult.Status.FAILED, live.reload().status());
        ClosableSource fresh = sources.stream().filter(s -> s.describe().contains("fresh")).findFirst()
                .orElseThrow();
        assertTrue(fresh.closed.get());
        assertFalse(sources.get(0).closed.get(), "the live default chain stays open");
    }

    @Test
    void concurrentReadersNeverSeeNullOrAHalfBuiltConfig() throws Exception {
        LiveConfig live = live(config("a0"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> problem = new AtomicReference<>();
        List<Thread> readers = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    GatewayConfig config = live.current();
                    if (config == null || config.routes().aliases().size() != 1
                            || !"sk-one".equals(config.masterKey())) {
                        problem.compareAndSet(null, new AssertionError("saw " + config));
                    }
                }
            }, "live-config-reader-" + i);
            reader.start();
            readers.add(reader);
        }
        for (int i = 1; i <= 30; i++) {
            write(i % 5 == 0 ? "model_list: [broken\n" : config("a" + i));
            live.reload();
        }
        stop.set(true);
        for (Thread reader : readers) {
            reader.join(5_000);
            assertFalse(reader.isAlive());
        }
        assertEquals(null, problem.get());
        assertEquals(Set.of("a29"), live.current().routes().aliases());
        assertEquals(24, live.stats().applied());
        assertEquals(6, live.stats().failed());
    }
}
