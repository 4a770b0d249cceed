package io.bedrockgateway.upstream;

import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CachingCredentialsSourceTest {
    private static final long TIMEOUT_SECONDS = 10;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "test-credentials");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void cacheHitIsAnAlreadyCompletedFuture() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CachingCredentialsSource source = source(() -> {
            calls.incrementAndGet();
            return AwsBasicCredentials.create("AKIDEXAMPLE", "secret");
        });
        AwsCredentialsIdentity first = await(source.resolve());
        CompletableFuture<AwsCredentialsIdentity> second = source.resolve();
        assertTrue(second.isDone());
        assertSame(first, second.join());
        assertEquals(1, calls.get());
    }

    @Test
    void fiftyConcurrentCallersShareOneRefresh() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CachingCredentialsSource source = source(() -> {
            calls.incrementAndGet();
            assertTrue(release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            return AwsBasicCredentials.create("AKIDEXAMPLE", "secret");
        });
        List<CompletableFuture<AwsCredentialsIdentity>> futures = resolveConcurrently(source, 50);
        futures.forEach(future -> assertFalse(future.isDone()));
        release.countDown();
        AwsCredentialsIdentity expected = await(futures.get(0));
        for (CompletableFuture<AwsCredentialsIdentity> future : futures) {
            assertSame(expected, await(future));
        }
        assertEquals(1, calls.get());
    }

    @Test
    void refreshNeverRunsOnTheCallingThread() throws Exception {
        AtomicReference<Thread> loaderThread = new AtomicReference<>();
        CachingCredentialsSource source = new CachingCredentialsSource("test", () -> {
            loaderThread.set(Thread.currentThread());
            return AwsBasicCredentials.create("AKIDEXAMPLE", "secret");
        });
        await(source.resolve());
        assertNotEquals(Thread.currentThread(), loaderThread.get());
        assertTrue(loaderThread.get().getName().startsWith("gateway-credentials-"), loaderThread.get().getName());
        assertTrue(loaderThread.get().isDaemon());
    }

    @Test
    void expiringCredentialsArePrefetchedOnceInTheBackground() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch secondLoad = new CountDownLatch(1);
        CachingCredentialsSource source = source(() -> {
            int call = calls.incrementAndGet();
            if (call == 2) {
                assertTrue(secondLoad.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return session("ASIA" + call, clock.instant().plus(Duration.ofHours(1)));
        });
        AwsCredentialsIdentity first = await(source.resolve());

        clock.advance(Duration.ofMinutes(57)); // inside the prefetch window, still valid
        for (int i = 0; i < 20; i++) {
            CompletableFuture<AwsCredentialsIdentity> served = source.resolve();
            assertTrue(served.isDone());
            assertSame(first, served.join());
        }
        secondLoad.countDown();
        waitUntil(() -> !source.resolve().join().accessKeyId().equals(first.accessKeyId()));
        assertEquals("ASIA2", source.resolve().join().accessKeyId());
        assertEquals(2, calls.get());
    }

    @Test
    void expiredCredentialsMakeCallersWaitForOneRefresh() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
        CachingCredentialsSource source = source(() -> {
            int call = calls.incrementAndGet();
            assertTrue(gate.get().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            return session("ASIA" + call, clock.instant().plus(Duration.ofHours(1)));
        });
        await(source.resolve());
        gate.set(new CountDownLatch(1));
        clock.advance(Duration.ofMinutes(59).plusSeconds(30)); // past the stale mark

        List<CompletableFuture<AwsCredentialsIdentity>> futures = resolveConcurrently(source, 20);
        futures.forEach(future -> assertFalse(future.isDone()));
        gate.get().countDown();
        for (CompletableFuture<AwsCredentialsIdentity> future : futures) {
            assertEquals("ASIA2", await(future).accessKeyId());
        }
        assertEquals(2, calls.get());
    }

    @Test
    void failureIsClientSafeBacksOffThenRecovers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CachingCredentialsSource source = source(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("STS said no to AKIASECRETSECRET / wJalrXUtnFEMI");
            }
            return AwsBasicCredentials.create("AKIDEXAMPLE", "secret");
        });
        GatewayException error = failure(source.resolve());
        assertEquals(GatewayError.SERVICE_UNAVAILABLE, error.error());
        assertFalse(error.getMessage().contains("AKIASECRET"));
        assertFalse(error.getMessage().contains("wJalr"));

        CompletableFuture<AwsCredentialsIdentity> duringBackoff = source.resolve();
        assertTrue(duringBackoff.isCompletedExceptionally());
        assertEquals(1, calls.get());

        clock.advance(CachingCredentialsSource.FAILURE_BACKOFF.plusMillis(1));
        assertEquals("AKIDEXAMPLE", await(source.resolve()).accessKeyId());
        assertEquals(2, calls.get());
    }

    @Test
    void failedRefreshKeepsServingCredentialsUntilTheyExpire() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CachingCredentialsSource source = source(() -> {
            if (calls.incrementAndGet() > 1) {
                throw new IllegalStateException("sts down");
            }
            return session("ASIA1", clock.instant().plus(Duration.ofHours(1)));
        });
        AwsCredentialsIdentity first = await(source.resolve());
        clock.advance(Duration.ofMinutes(59).plusSeconds(30));
        assertThrows(ExecutionException.class, () -> source.resolve().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertSame(first, source.resolve().join(), "backing off: the still valid credentials are served");
        clock.advance(Duration.ofSeconds(31));
        assertThrows(ExecutionException.class, () -> source.resolve().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void anErrorInTheLoaderStillCompletesTheSharedFuture() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CachingCredentialsSource source = source(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new NoSuchMethodError("sdk mismatch");
            }
            return AwsBasicCredentials.create("AKIDEXAMPLE", "secret");
        });
        assertEquals(GatewayError.SERVICE_UNAVAILABLE, failure(source.resolve()).error());
        clock.advance(CachingCredentialsSource.FAILURE_BACKOFF.plusMillis(1));
        assertEquals("AKIDEXAMPLE", await(source.resolve()).accessKeyId());
    }

    @Test
    void closeClosesTheResource() {
        AtomicInteger closed = new AtomicInteger();
        new CachingCredentialsSource("test", () -> null, executor, clock, closed::incrementAndGet).close();
        assertEquals(1, closed.get());
    }

    @Test
    void alreadyExpiredCredentialsAreAFailure() {
        CachingCredentialsSource source = source(() -> session("ASIA1", clock.instant().minusSeconds(1)));
        assertEquals(GatewayError.SERVICE_UNAVAILABLE, failure(source.resolve()).error());
    }

    @Test
    void nullFromTheLoaderIsAFailure() {
        CachingCredentialsSource source = source(() -> null);
        assertEquals(GatewayError.SERVICE_UNAVAILABLE, failure(source.resolve()).error());
    }

    @Test
    void rejectedRefreshIsAFailureNotAHang() {
        executor.shutdownNow();
        CachingCredentialsSource source = source(() -> AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
        assertEquals(GatewayError.SERVICE_UNAVAILABLE, failure(source.resolve()).error());
    }

    @Test
    void oneCallersCancelDoesNotReachOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CachingCredentialsSource source = source(() -> {
            assertTrue(release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            return AwsBasicCredentials.create("AKIDEXAMPLE", "secret");
        });
        CompletableFuture<AwsCredentialsIdentity> cancelled = source.resolve();
        CompletableFuture<AwsCredentialsIdentity> other = source.resolve();
        cancelled.cancel(true);
        release.countDown();
        assertEquals("AKIDEXAMPLE", await(other).accessKeyId());
    }

    @Test
    void shortLivedCredentialsAreNotRefetchedInALoop() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CachingCredentialsSource source = source(() -> {
            calls.incrementAndGet();
            return session("ASIA1", clock.instant().plus(Duration.ofSeconds(40)));
        });
        await(source.resolve());
        assertTrue(source.resolve().isDone());
        assertEquals(1, calls.get());
    }

    @Test
    void describeAndToStringShowTheDescriptionOnly() {
        CachingCredentialsSource source = source(() -> AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
        assertEquals("test", source.describe());
        assertTrue(source.toString().contains("test"));
    }

    private CachingCredentialsSource source(java.util.concurrent.Callable<AwsCredentialsIdentity> loader) {
        return new CachingCredentialsSource("test", loader, executor, clock, null);
    }

    private static AwsSessionCredentials session(String keyId, Instant expiry) {
        return AwsSessionCredentials.builder().accessKeyId(keyId).secretAccessKey("secret").sessionToken("token")
                .expirationTime(expiry).build();
    }

    private static List<CompletableFuture<AwsCredentialsIdentity>> resolveConcurrently(CredentialsSource source,
                                                                                         int callers)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<CompletableFuture<AwsCredentialsIdentity>>> calls = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            for (int i = 0; i < callers; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        assertTrue(start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return source.resolve();
                }, threads));
            }
            start.countDown();
            List<CompletableFuture<AwsCredentialsIdentity>> futures = new ArrayList<>();
            for (CompletableFuture<CompletableFuture<AwsCredentialsIdentity>> call : calls) {
                futures.add(call.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return futures;
        } finally {
            threads.shutdownNow();
        }
    }

    private static AwsCredentialsIdentity await(CompletableFuture<AwsCredentialsIdentity> future) throws Exception {
        return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static GatewayException failure(CompletableFuture<AwsCredentialsIdentity> future) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return (GatewayException) e.getCause();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(5);
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
