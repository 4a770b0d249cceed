package io.bedrockgateway.routing;

import java.util.List;
import java.util.Objects;

/**
 * One client request recognised as a Bedrock data-plane API call.
 *
 * <p>{@code pathSegments} are the percent-decoded segments of the path below {@code /bedrock} (a trailing slash
 * shows as a final empty segment, which AWS needs on some agent-runtime routes). For model-scoped operations
 * {@code modelSegment} is the index of the model id (which may itself contain {@code :} and {@code /}, as an
 * inference-profile ARN does); otherwise it is -1.
 *
 * <p>Immutable and thread-safe.
 *
 * @param service      which Bedrock service the call belongs to
 * @param name         the AWS operation name, e.g. {@code Converse}, {@code InvokeAgent}
 * @param method       HTTP method, upper case, as the client sent it (and as it is signed and sent upstream)
 * @param pathSegments decoded path segments, without the {@code /bedrock} prefix
 * @param modelSegment index of the model id in {@code pathSegments}, or -1
 * @param streaming    whether the successful response is an {@code application/vnd.amazon.eventstream}
 */
public record BedrockOperation(BedrockService service, String name, String method, List<String> pathSegments,
                               int modelSegment, boolean streaming) {

    public BedrockOperation {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        pathSegments = List.copyOf(pathSegments);
        if (modelSegment >= pathSegments.size()) {
            throw new IllegalArgumentException("modelSegment out of range");
        }
    }

    /** Whether the path names a model (alias, raw id or ARN). */
    public boolean modelScoped() {
        return modelSegment >= 0;
    }

    /** The model alias, id or ARN as the client named it (decoded), or {@code null}. */
    public String modelId() {
        return modelScoped() ? pathSegments.get(modelSegment) : null;
    }

    /**
     * The upstream path, each segment percent-encoded the way AWS expects (RFC 3986 unreserved characters kept,
     * everything else encoded, so {@code :} becomes {@code %3A} and an ARN's {@code /} becomes {@code %2F}).
     *
     * @param upstreamModelId the model id or ARN to put in place of the client's model segment; ignored when the
     *                        operation is not model-scoped
     */
    public String upstreamPath(String upstreamModelId) {
        StringBuilder path = new StringBuilder(64);
        for (int i = 0; i < pathSegments.size(); i++) {
            String segment = i == modelSegment ? upstreamModelId : pathSegments.get(i);
            path.append('/').append(PathCodec.encodeSegment(segment));
        }
        return path.length() == 0 ? "/" : path.toString();
    }
}
