package io.bedrockgateway.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigWatcherTest extends LiveConfigTestSupport {
    /** Events only: the poll is far beyond every wait in these tests. */
    private static final ConfigWatcher.Settings EVENTS =
            new ConfigWatcher.Settings(Duration.ofMillis(100), Duration.ofHours(1), true);
    /** No WatchService: only the poll can notice a change. */
    private static final ConfigWatcher.Settings POLL_ONLY =
            new ConfigWatcher.Settings(Duration.ofMillis(50), Duration.ofMillis(100), false);

    private ConfigWatcher watch(LiveConfig live, ConfigWatcher.Settings settings) {
        ConfigWatcher watcher = ConfigWatcher.start(live, settings);
        toClose.add(0, watcher); // before the live config
        return watcher;
    }

    private static boolean hasAliases(LiveConfig live, String... aliases) {
        return live.current().routes().aliases().equals(Set.of(aliases));
    }

    @Test
    void inPlaceWriteIsPickedUp() throws Exception {
        LiveConfig live = live(config("haiku"));
        watch(live, EVENTS);
        write(config("haiku", "sonnet"));
        await("the new alias", () -> hasAliases(live, "haiku", "sonnet"));
    }

    @Test
    void renameOverIsPickedUp() throws Exception {
        LiveConfig live = live(config("haiku"));
        watch(live, EVENTS);
        renameOver(config("sonnet"));
        await("the renamed-over config", () -> hasAliases(live, "sonnet"));
    }

    @Test
    void configMapStyleSymlinkSwapIsPickedUp() throws Exception {
        // config.yaml -> ..data/config.yaml, ..data -> ..v1; the update swaps ..data to ..v2 atomically.
        Path v1 = Files.createDirectory(dir.resolve("..v1"));
        Files.writeString(v1.resolve("config.yaml"), config("haiku"));
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path link = dir.resolve("mounted.yaml");
        Files.createSymbolicLink(link, Path.of("..data", "config.yaml"));
        LiveConfig live = LiveConfig.load(link, Environment.of(ENV), factory, () -> null, Duration.ofMinutes(1));
        toClose.add(live);
        watch(live, EVENTS);

        Path v2 = Files.createDirectory(dir.resolve("..v2"));
        Files.writeString(v2.resolve("config.yaml"), config("sonnet"));
        Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        await("the swapped config", () -> hasAliases(live, "sonnet"));
    }

    @Test
    void pollingFallbackWorksWithoutEvents() throws Exception {
        LiveConfig live = live(config("haiku"));
        watch(live, POLL_ONLY);
        renameOver(config("sonnet"));
        await("the polled config", () -> hasAliases(live, "sonnet"));
    }

    @Test
    void brokenEditIsRetriedWhenTheFileIsFixed() throws Exception {
        LiveConfig live = live(config("haiku"));
        watch(live, POLL_ONLY);
        write("model_list:\n  - model_name: half\n    litellm_params: [");
        await("the refused reload", () -> live.stats().failed() == 1);
        Thread.sleep(300); // several polls of the same broken content: not retried, not logged again
        assertEquals(1, live.stats().failed());
        assertTrue(hasAliases(live, "haiku"));

        write(config("haiku", "sonnet"));
        await("the fixed config", () -> hasAliases(live, "haiku", "sonnet"));
    }

    @Test
    void burstOfWritesLoadsOnce() throws Exception {
        LiveConfig live = live(config("a0"));
        watch(live, new ConfigWatcher.Settings(Duration.ofMillis(400), Duration.ofHours(1), true));
        for (int i = 1; i <= 5; i++) {
            write(config("a" + i));
            Thread.sleep(20);
        }
        await("the last write", () -> hasAliases(live, "a5"));
        Thread.sleep(200);
        assertEquals(1, live.stats().applied());
    }

    @Test
    void manualRequestReloadsWithoutAnyTrigger() throws Exception {
        LiveConfig live = live(config("haiku"));
        ConfigWatcher watcher = watch(live, new ConfigWatcher.Settings(Duration.ZERO, Duration.ofHours(1), false));
        write(config("sonnet")); // no events (off) and no poll within the test: only the request reloads
        Thread.sleep(100);
        assertTrue(hasAliases(live, "haiku"));
        watcher.requestReload();
        await("the requested reload", () -> hasAliases(live, "sonnet"));
    }

    @Test
    void closeStopsTheNamedThread() throws Exception {
        LiveConfig live = live(config("haiku"));
        ConfigWatcher watcher = watch(live, EVENTS);
        assertTrue(threadAlive());
        watcher.close();
        assertFalse(threadAlive());
        write(config("sonnet"));
        Thread.sleep(300);
        assertTrue(hasAliases(live, "haiku"));
    }

    private static boolean threadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(ConfigWatcher.THREAD_NAME) && t.isAlive());
    }
}
