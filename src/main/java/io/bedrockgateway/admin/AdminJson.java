package io.bedrockgateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON in and out of the admin API, with one shared, immutable {@link ObjectMapper} (thread-safe once built).
 * Reading is strict: duplicate fields, trailing content and bodies over {@link #MAX_BODY_BYTES} are rejected;
 * decimals are read as {@code BigDecimal}, so budgets keep the digits the caller sent. Stateless and thread-safe.
 */
final class AdminJson {
    /** The admin API's mapper. Do not reconfigure it. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    /** Admin bodies are small; metadata is capped far below this. */
    static final int MAX_BODY_BYTES = 1 << 20;
    static final String CONTENT_TYPE = "application/json;charset=UTF-8";

    private AdminJson() {
    }

    /**
     * The request body as JSON; an empty body or {@code null} reads as an empty object, so that callers which send
     * nothing (LiteLLM allows that for generate and regenerate) get the same answer as with {@code {}}.
     *
     * @throws AdminException 400 for malformed JSON or a non-object, 413 for a body over the cap
     */
    static JsonNode readObject(HttpServletRequest clientRequest) throws IOException {
        long declared = clientRequest.getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = clientRequest.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw AdminException.badRequest(null, "request body is not valid JSON: " + e.getOriginalMessage() + where);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return MAPPER.createObjectNode();
        }
        if (!node.isObject()) {
            throw AdminException.badRequest(null, "request body must be a JSON object, not " + describe(node));
        }
        return node;
    }

    /** Writes {@code body} with {@code status}; admin answers are never cached (some carry a new key). */
    static void write(HttpServletResponse clientResponse, int status, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        clientResponse.setStatus(status);
        clientResponse.setContentType(CONTENT_TYPE);
        clientResponse.setHeader("Cache-Control", "no-store");
        clientResponse.setContentLength(bytes.length);
        clientResponse.getOutputStream().write(bytes);
    }

    /** Resets the (uncommitted) response and writes the error in LiteLLM's shape. */
    static void writeError(HttpServletResponse clientResponse, AdminException error) throws IOException {
        clientResponse.reset();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("message", error.getMessage());
        detail.put("type", error.type());
        detail.put("param", error.param());
        detail.put("code", Integer.toString(error.status()));
        write(clientResponse, error.status(), Map.of("error", detail));
    }

    /** The JSON type of {@code node} in words, for error messages that must not echo the value. */
    static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a decimal number";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.isObject() ? "an object" : node.getNodeType().toString().toLowerCase();
    }

    private static AdminException tooLarge() {
        return new AdminException(413, AdminException.BAD_REQUEST, null,
                "request body is larger than " + MAX_BODY_BYTES + " bytes");
    }
}
