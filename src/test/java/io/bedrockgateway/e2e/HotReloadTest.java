package io.bedrockgateway.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Editing config.yaml under load: new aliases apply without a restart, a broken edit is refused, no call fails. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HotReloadTest {
    private static GatewayFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = GatewayFixture.start(endpoint -> "", "  pass_through_unknown_models: false");
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Message hi() {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Hi")).build();
    }

    /** Rewrites the config the way editors do: a temp file moved over the original. */
    private static void edit(String config) throws Exception {
        var temp = Files.createTempFile(fixture.configFile.getParent(), "edit-", ".tmp");
        Files.writeString(temp, config);
        Files.move(temp, fixture.configFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean eventually(BedrockRuntimeClient runtime, String alias) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try {
                runtime.converse(r -> r.modelId(alias).messages(hi()));
                return true;
            } catch (ResourceNotFoundException notYet) {
                Thread.sleep(200);
            }
        }
        return false;
    }

    @Test
    void editsApplyUnderLoadWithoutAFailedCall() throws Exception {
        String original = Files.readString(fixture.configFile);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(4, r -> new Thread(r, "reload-load"));
        List<Future<?>> workers = new ArrayList<>();
        try (BedrockRuntimeClient runtime = fixture.runtime(GatewayFixture.MASTER_KEY)) {
            for (int i = 0; i < 4; i++) {
                workers.add(load.submit(() -> {
                    while (running.get()) {
                        try {
                            runtime.converse(r -> r.modelId("my-claude").messages(hi()));
                            calls.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            assertThrows(ResourceNotFoundException.class, () -> runtime.converse(r -> r.modelId("hot-new")
                    .messages(hi())));
            String withNewAlias = original.replace("model_list:\n", "model_list:\n" + """
                      - model_name: hot-new
                        litellm_params:
                          model: bedrock/anthropic.claude-3-haiku-20240307-v1:0
                          aws_region_name: us-west-2
                          aws_access_key_id: %s
                          aws_secret_access_key: "%s"
                          aws_bedrock_runtime_endpoint: http://127.0.0.1:%d
                    """.formatted(GatewayFixture.GATEWAY_ACCESS_KEY, GatewayFixture.GATEWAY_SECRET,
                    fixture.fake.port()));
            edit(withNewAlias);
            assertTrue(eventually(runtime, "hot-new"), "the new alias was picked up");

            edit(withNewAlias.replace("model: bedrock/anthropic", "model: openai/anthropic")); // refused
            Thread.sleep(1500);
            runtime.converse(r -> r.modelId("hot-new").messages(hi())); // the old config stays

            edit(original);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            boolean removed = false;
            while (!removed && System.nanoTime() < deadline) {
                try {
                    runtime.converse(r -> r.modelId("hot-new").messages(hi()));
                    Thread.sleep(200);
                } catch (ResourceNotFoundException gone) {
                    removed = true;
                }
            }
            assertTrue(removed, "the alias went away with the edit that removed it");
            stopLoad(running, workers); // before the client closes
        } finally {
            stopLoad(running, workers);
            load.shutdownNow();
        }
        assertTrue(calls.get() > 20, "load ran: " + calls.get());
        assertEquals(List.of(), failures, "no call failed during the reloads");
    }

    private static void stopLoad(AtomicBoolean running, List<Future<?>> workers) throws Exception {
        running.set(false);
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
    }
}
