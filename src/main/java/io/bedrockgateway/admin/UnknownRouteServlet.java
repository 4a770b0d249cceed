package io.bedrockgateway.admin;

import io.bedrockgateway.errors.AwsErrorWriter;
import io.bedrockgateway.errors.GatewayError;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The default servlet: anything outside the gateway's routes gets an AWS-shaped 404, so an SDK pointed at the
 * wrong base URL (for example without {@code /bedrock}) raises a typed error that says what to fix. Thread-safe.
 */
public final class UnknownRouteServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        AwsErrorWriter.write(clientResponse, GatewayError.UNKNOWN_OPERATION,
                "Unknown operation " + clientRequest.getMethod() + " " + clientRequest.getRequestURI()
                        + ". Bedrock calls go under /bedrock (for example /bedrock/model/{modelId}/converse).",
                null);
    }
}
