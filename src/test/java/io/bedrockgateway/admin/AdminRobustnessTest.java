package io.bedrockgateway.admin;

import io.bedrockgateway.admin.AdminApiServer.Reply;
import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.keys.VirtualKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.bedrockgateway.admin.KeyApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Races between admin calls, and a failing repository. */
@Timeout(60)
class AdminRobustnessTest {
    private static final int CALLERS = 16;

    /** The repositories to test; override to run these scenarios against another implementation. */
    AdminApiServer.Backend backend() {
        return AdminApiServer.inMemory();
    }

    @Test
    void concurrentGeneratesWithOneAliasCreateExactlyOneKey() throws Exception {
        try (AdminApiServer server = AdminApiServer.start(backend())) {
            AtomicInteger count = new AtomicInteger();
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS, r -> {
                Thread thread = new Thread(r, "admin-race-caller-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Reply>> replies = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    replies.add(callers.submit(() -> {
                        assertTrue(go.await(10, TimeUnit.SECONDS));
                        return server.post("/key/generate", "{\"key_alias\": \"shared\"}");
                    }));
                }
                go.countDown();
                int created = 0;
                for (Future<Reply> future : replies) {
                    Reply reply = future.get(30, TimeUnit.SECONDS);
                    if (reply.status() == 200) {
                        created++;
                    } else {
                        assertError(reply, 400, "bad_request_error", "key_alias");
                    }
                }
                assertEquals(1, created);
                assertEquals(1, server.keys.snapshot().size());
                assertEquals(1, server.changedTokens.size());
            } finally {
                callers.shutdownNow();
                assertTrue(callers.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void repositoryFailureIsAnOpaque500() {
        AtomicBoolean failing = new AtomicBoolean(true);
        try (AdminApiServer server = AdminApiServer.start(backend(), keys -> new FailingKeys(keys, failing))) {
            Reply reply = server.post("/key/generate", "{\"key\": \"sk-secret-key-0123456789\"}");
            assertError(reply, 500, "internal_server_error", null);
            assertFalse(reply.raw().body().contains("jdbc"), "no cause details to the client");
            assertFalse(reply.raw().body().contains("sk-secret"), reply::toString);
            assertEquals(0, server.keys.snapshot().size());
            failing.set(false);
            assertEquals(200, server.post("/key/generate", "{}").status());
        }
    }

    @Test
    void failingChangeListenerDoesNotFailTheWrite() {
        try (AdminApiServer server = AdminApiServer.start(backend())) {
            server.listenerFails.set(true);
            Reply reply = server.post("/key/generate", "{}");
            assertEquals(200, reply.status(), reply::toString);
            String token = reply.json().get("token").asText();
            assertEquals(List.of(token), server.changedTokens);
            assertTrue(server.keys.findByHash(token).isPresent());
            Reply blocked = server.post("/key/block", "{\"key\": \"" + token + "\"}");
            assertEquals(200, blocked.status(), blocked::toString);
        }
    }

    /** Delegates to the in-memory repository, failing reads while {@code failing} is set. */
    private record FailingKeys(KeyRepository delegate, AtomicBoolean failing) implements KeyRepository {
        private void check() {
            if (failing.get()) {
                throw new IllegalStateException("jdbc: connection refused");
            }
        }

        @Override
        public Optional<VirtualKey> findByHash(String tokenHash) {
            check();
            return delegate.findByHash(tokenHash);
        }

        @Override
        public Optional<VirtualKey> findByAlias(String keyAlias) {
            check();
            return delegate.findByAlias(keyAlias);
        }

        @Override
        public void insert(VirtualKey key) {
            check();
            delegate.insert(key);
        }

        @Override
        public boolean updateSettings(VirtualKey key) {
            return delegate.updateSettings(key);
        }

        @Override
        public boolean rehash(String oldTokenHash, String newTokenHash, String newKeyName) {
            return delegate.rehash(oldTokenHash, newTokenHash, newKeyName);
        }

        @Override
        public int delete(Collection<String> tokenHashes) {
            return delegate.delete(tokenHashes);
        }

        @Override
        public List<VirtualKey> list(String userId, String teamId, String keyAlias, int offset, int limit) {
            return delegate.list(userId, teamId, keyAlias, offset, limit);
        }

        @Override
        public long count(String userId, String teamId, String keyAlias) {
            return delegate.count(userId, teamId, keyAlias);
        }

        @Override
        public void addSpend(Map<String, BigDecimal> deltasByTokenHash) {
            delegate.addSpend(deltasByTokenHash);
        }

        @Override
        public int resetDueBudgets(Instant now) {
            return delegate.resetDueBudgets(now);
        }

        @Override
        public List<VirtualKey> changedSince(Instant since) {
            return delegate.changedSince(since);
        }
    }
}
