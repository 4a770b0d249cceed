package io.bedrockgateway.upstream;

import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a plan and the exact body bytes into the upstream request: SigV4-signed with the AWS SDK's
 * {@link AwsV4HttpSigner} (service {@code bedrock}, the deployment's region), or carrying the deployment's Bedrock
 * API key as a bearer token. The request line, {@code Host} and every signed header are taken from the signed
 * request itself, so what is sent is exactly what was signed.
 *
 * <p>Stateless apart from the thread-safe signer; thread-safe.
 */
public final class RequestSigner {
    private static final String SIGNING_NAME = "bedrock";
    private static final Map<String, SdkHttpMethod> METHODS = methods();
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param credentials the resolved credentials, or {@code null} for a bearer-token deployment
     * @param body        the exact body bytes (may be empty)
     */
    public AsyncRequestProducer sign(UpstreamRequestPlan plan, AwsCredentialsIdentity credentials, byte[] body) {
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder()
                .method(method(plan.method()))
                .protocol(plan.endpoint().getScheme())
                .host(plan.endpoint().getHost())
                .port(plan.endpoint().getPort() < 0 ? null : plan.endpoint().getPort())
                .encodedPath(plan.encodedPath());
        plan.queryParameters().forEach(unsigned::putRawQueryParameter);
        plan.headers().forEach(unsigned::putHeader);

        SdkHttpRequest ready;
        if (plan.deployment().auth() instanceof UpstreamAuth.Bearer bearer) {
            ready = unsigned.putHeader("Authorization", "Bearer " + bearer.token()).build();
        } else {
            SignedRequest signed = signer.sign(r -> r
                    .identity(credentials)
                    .request(unsigned.build())
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, plan.deployment().region()));
            ready = signed.request();
        }
        return toProducer(ready, body);
    }

    private static AsyncRequestProducer toProducer(SdkHttpRequest ready, byte[] body) {
        String target = ready.encodedPath().isEmpty() ? "/" : ready.encodedPath();
        if (ready.numRawQueryParameters() > 0) {
            String query = SdkHttpUtils.encodeAndFlattenQueryParameters(ready.rawQueryParameters()).orElse("");
            if (!query.isEmpty()) {
                target = target + "?" + query;
            }
        }
        int port = ready.port() == SdkHttpUtils.standardPort(ready.protocol()) ? -1 : ready.port();
        BasicHttpRequest upstreamRequest =
                new BasicHttpRequest(ready.method().name(), new HttpHost(ready.protocol(), ready.host(), port), target);
        ready.forEachHeader((name, values) -> {
            for (String value : values) {
                upstreamRequest.addHeader(name, value);
            }
        });
        if (!upstreamRequest.containsHeader("Host")) {
            upstreamRequest.addHeader("Host", port < 0 ? ready.host() : ready.host() + ":" + port);
        }
        AsyncEntityProducer entity = body.length == 0 && !allowsBody(ready.method())
                ? null : AsyncEntityProducers.create(body, null);
        return new BasicRequestProducer(upstreamRequest, entity);
    }

    /** The SDK's own lookup streams over every constant on each call; HTTP methods are few and fixed. */
    private static SdkHttpMethod method(String name) {
        SdkHttpMethod method = METHODS.get(name);
        return method != null ? method : SdkHttpMethod.fromValue(name);
    }

    private static Map<String, SdkHttpMethod> methods() {
        Map<String, SdkHttpMethod> methods = new HashMap<>();
        for (SdkHttpMethod method : SdkHttpMethod.values()) {
            methods.put(method.name(), method);
        }
        return Map.copyOf(methods);
    }

    private static boolean allowsBody(SdkHttpMethod method) {
        return method == SdkHttpMethod.POST || method == SdkHttpMethod.PUT || method == SdkHttpMethod.PATCH;
    }
}
