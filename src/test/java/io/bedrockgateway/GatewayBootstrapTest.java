package io.bedrockgateway;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listener's start and stop, against a servlet context that can be made to refuse. */
class GatewayBootstrapTest {

    /**
     * A start that fails after the database and the upstream client are up (here: the container refuses the
     * gateway's servlet) closes them before the failure reaches the container. Containers do not call
     * {@code contextDestroyed} then, and the database file stayed locked by the failed deployment: WildFly could not
     * deploy the WAR again in the same JVM.
     */
    @Test
    @Timeout(60)
    void aFailedStartReleasesTheDatabaseAndTheUpstreamThreads(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                model_list:
                  - model_name: my-claude
                    litellm_params:
                      model: bedrock/anthropic.claude-3-haiku-20240307-v1:0
                      aws_region_name: us-west-2
                      aws_access_key_id: AKIDBOOTSTRAPTEST001
                      aws_secret_access_key: not-used
                      aws_bedrock_runtime_endpoint: http://127.0.0.1:9
                general_settings:
                  master_key: sk-bootstrap-test
                  database_path: %s
                """.formatted(dir.resolve("data")));
        GatewayBootstrap bootstrap = new GatewayBootstrap();
        ServletContextEvent event = new ServletContextEvent(refusingServlets(config));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> bootstrap.contextInitialized(event));
        assertEquals("the container refused servlet bedrock", refused.getMessage());

        Path databaseFile = dir.resolve("data").resolve("bedrock-gateway.mv.db");
        assertTrue(Files.exists(databaseFile), "the start got as far as opening the database");
        try (FileChannel channel = FileChannel.open(databaseFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) { // OverlappingFileLockException while this JVM still holds it
            assertNotNull(lock, "another process holds the database file");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstreamThreads() > 0) {
            assertTrue(System.nanoTime() < deadline, "the upstream client's threads outlived the failed start");
            Thread.sleep(50);
        }
    }

    private static long upstreamThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("gateway-upstream")).count();
    }

    /**
     * A servlet context that hands out {@code config} as the {@code bedrock.gateway.config} parameter, accepts
     * filters, and throws on {@code addServlet("bedrock", ...)}.
     */
    private static ServletContext refusingServlets(Path config) {
        return (ServletContext) proxy(ServletContext.class, (self, method, args) -> {
            switch (method.getName()) {
                case "getInitParameter":
                    return GatewayBootstrap.CONFIG_PROPERTY.equals(args[0]) ? config.toString() : null;
                case "getContextPath":
                    return "/bootstrap-test";
                case "addServlet":
                    throw new IllegalStateException("the container refused servlet " + args[0]);
                default:
                    return defaultFor(method.getReturnType());
            }
        });
    }

    private static Object defaultFor(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type.isInterface()) {
            return proxy(type, (self, method, args) -> defaultFor(method.getReturnType()));
        }
        return null;
    }

    private static Object proxy(Class<?> type, InvocationHandler handler) {
        return Proxy.newProxyInstance(GatewayBootstrapTest.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
