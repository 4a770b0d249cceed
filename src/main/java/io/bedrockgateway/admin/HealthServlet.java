package io.bedrockgateway.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health/liveliness} (the process answers) and {@code GET /health/readiness} (config loaded, upstream
 * client running). LiteLLM's paths, so existing probes keep working. Makes no upstream call. Thread-safe.
 */
public final class HealthServlet extends HttpServlet {
    private final BooleanSupplier ready;

    public HealthServlet(BooleanSupplier ready) {
        this.ready = ready;
    }

    @Override
    protected void doGet(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        String path = clientRequest.getPathInfo() == null ? "" : clientRequest.getPathInfo();
        String body;
        switch (path) {
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
