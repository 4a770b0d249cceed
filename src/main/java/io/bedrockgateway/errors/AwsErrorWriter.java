package io.bedrockgateway.errors;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes gateway errors in Bedrock's own JSON shape: status, header {@code x-amzn-ErrorType}, header
 * {@code x-amzn-RequestId} and body {@code {"message": "..."}}. The AWS SDKs map the error type header onto their
 * typed exceptions (for example {@code AccessDeniedException}).
 *
 * <p>Stateless and thread-safe. Callers must only use it before the response is committed; after commit an error
 * can only end the stream (see {@code streaming.EventStreamFrames}).
 */
public final class AwsErrorWriter {
    public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";
    public static final String REQUEST_ID_HEADER = "x-amzn-RequestId";
    public static final String RETRY_AFTER_HEADER = "Retry-After";
    /** Bodies up to this size are read and dropped before a refusal; larger ones are refused at once. */
    public static final long MAX_DRAIN_BYTES = 1024 * 1024;
    private static final long DRAIN_TIMEOUT_MILLIS = 30_000;

    private AwsErrorWriter() {
    }

    /** The JSON body for {@code message}, as bytes. */
    public static byte[] body(String message) {
        String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(message == null ? "" : message));
        return ("{\"message\":\"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Resets the (uncommitted) response and writes the error. Uses the blocking output stream, which is fine:
     * the body is tiny and this runs either before async processing starts or on a container thread.
     */
    public static void write(HttpServletResponse clientResponse, GatewayError error, String message, String requestId)
            throws IOException {
        write(clientResponse, error, message, requestId, 0);
    }

    private static void write(HttpServletResponse clientResponse, GatewayError error, String message,
                              String requestId, long retryAfterSeconds) throws IOException {
        if (clientResponse.isCommitted()) {
            throw new IllegalStateException("response already committed; cannot send " + error);
        }
        clientResponse.reset();
        byte[] body = body(message);
        prepare(clientResponse, error, requestId, retryAfterSeconds, body.length);
        clientResponse.getOutputStream().write(body);
        clientResponse.flushBuffer();
    }

    /**
     * Sets the status and headers of an error response whose body ({@link #body}, {@code bodyLength} bytes) the
     * caller writes itself, blocking or not.
     */
    public static void prepare(HttpServletResponse clientResponse, GatewayException e, String requestId,
                               int bodyLength) {
        prepare(clientResponse, e.error(), requestId, e.retryAfterSeconds(), bodyLength);
    }

    private static void prepare(HttpServletResponse clientResponse, GatewayError error, String requestId,
                                long retryAfterSeconds, int bodyLength) {
        clientResponse.setStatus(error.status());
        clientResponse.setHeader(ERROR_TYPE_HEADER, error.awsType());
        if (requestId != null) {
            clientResponse.setHeader(REQUEST_ID_HEADER, requestId);
        }
        if (retryAfterSeconds > 0) {
            clientResponse.setHeader(RETRY_AFTER_HEADER, Long.toString(retryAfterSeconds));
        }
        clientResponse.setContentType("application/json");
        clientResponse.setContentLength(bodyLength);
    }

    public static void write(HttpServletResponse clientResponse, GatewayException e, String requestId)
            throws IOException {
        write(clientResponse, e.error(), e.getMessage(), requestId, e.retryAfterSeconds());
    }

    /**
     * Refuses a request from a filter. A request body the client is still sending is read and dropped first (up to
     * {@link #MAX_DRAIN_BYTES}, asynchronously, without holding the container thread): an HTTP/2 client whose stream
     * is reset while it still writes its body reports a transport error instead of the refusal.
     */
    public static void reject(HttpServletRequest clientRequest, HttpServletResponse clientResponse,
                              GatewayException e, String requestId) throws IOException {
        long declared = clientRequest.getContentLengthLong();
        boolean mayHaveBody = declared > 0 || (declared < 0 && !"GET".equals(clientRequest.getMethod())
                && !"DELETE".equals(clientRequest.getMethod()) && !"HEAD".equals(clientRequest.getMethod()));
        if (!mayHaveBody || declared > MAX_DRAIN_BYTES || !clientRequest.isAsyncSupported()) {
            write(clientResponse, e, requestId);
            return;
        }
        clientResponse.setStatus(e.error().status()); // known now, though the body goes out after the drain
        AsyncContext async = clientRequest.startAsync();
        async.setTimeout(DRAIN_TIMEOUT_MILLIS);
        ServletInputStream clientInput = clientRequest.getInputStream();
        clientInput.setReadListener(new DrainThenRefuse(async, clientInput, clientResponse, e, requestId));
    }
}
