package io.bedrockgateway.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health/liveliness} (the process answers), {@code GET /health/readiness} (config loaded, upstream
 * client running) and {@code GET /health} (each deployment's live numbers). LiteLLM's paths, so existing probes keep working. Makes no upstream call. Thread-safe.
 */
public final class HealthServlet extends HttpServlet {
    private final BooleanSupplier ready;
    private final Supplier<String> deployments;

    /** @param deployments the JSON report of {@code GET /health}: every deployment's state, no upstream call made */
    public HealthServlet(BooleanSupplier ready, Supplier<String> deployments) {
        this.ready = ready;
        this.deployments = deployments;
    }

    @Override
    protected void doGet(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        String path = clientRequest.getPathInfo() == null ? "" : clientRequest.getPathInfo();
        String body;
        switch (path) {
            case "", "/" -> {
                clientResponse.setStatus(200);
                body = deployments.get();
            }
            case "/liveliness", "/liveness" -> {
                clientResponse.setStatus(200);
                body = "\"I'm alive!\"";
            }
            case "/readiness" -> {
                boolean isReady = ready.getAsBoolean();
                clientResponse.setStatus(isReady ? 200 : 503);
                body = "{\"status\":\"" + (isReady ? "healthy" : "unavailable") + "\"}";
            }
            default -> {
                clientResponse.setStatus(404);
                body = "{\"message\":\"no such health endpoint\"}";
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        clientResponse.setContentType("application/json");
        clientResponse.setContentLength(bytes.length);
        clientResponse.getOutputStream().write(bytes);
    }
}
