package io.bedrockgateway.upstream;

import io.bedrockgateway.context.CallOutcome;
import io.bedrockgateway.context.GatewayExchange;
import io.bedrockgateway.errors.AwsErrorWriter;
import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.DeploymentStats;
import io.bedrockgateway.spend.AgentUsageTap;
import io.bedrockgateway.spend.UsageTap;
import io.bedrockgateway.streaming.BoundedBodyReader;
import io.bedrockgateway.streaming.ClientResponseSubscriber;
import io.bedrockgateway.streaming.EventStreamFramer;
import io.bedrockgateway.streaming.UpstreamResponsePublisher;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One proxied call, from the client's body to the end of the relay: read the body (capped), wait for credentials,
 * sign, send, relay the response head and stream the body back under the client's demand.
 *
 * <p>Status and headers are decided only before the response is committed; after that a failure can only end the
 * output (see {@link ClientResponseSubscriber}). A client disconnect cancels the upstream exchange.
 *
 * <p>Thread-safety: steps run on container threads (body, client events), the credentials executor and reactor
 * threads (head, body), strictly one after the other for each call; fields shared across those steps are volatile.
 */
final class ForwardedCall implements BoundedBodyReader.Callback, UpstreamResponsePublisher.HeadListener, AsyncListener {
    private static final Logger LOG = Logger.getLogger(ForwardedCall.class.getName());
    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    private final GatewayExchange exchange;
    private final HttpServletRequest clientRequest;
    private final HttpServletResponse clientResponse;
    private final ForwardingServlet.Collaborators with;
    private final UpstreamRequestPlan plan;
    private final UsageTap usageTap;
    private volatile int statusSent;
    private volatile DeploymentStats stats;
    private volatile String upstreamError;
    private volatile boolean streamed;
    private AsyncContext asyncContext;
    private ClientResponseSubscriber relay;
    private volatile UpstreamResponsePublisher publisher;
    private volatile Future<Void> upstreamExchange;
    private volatile ScheduledFuture<?> watchdog;
    private volatile ScheduledFuture<?> headTimer;
    private volatile boolean clientGone;
    /** Set once by whichever comes first: the response head, a failure before it, or the head timeout. */
    private final AtomicBoolean headDecided = new AtomicBoolean();

    ForwardedCall(GatewayExchange exchange, HttpServletRequest clientRequest, HttpServletResponse clientResponse,
                  ForwardingServlet.Collaborators with) {
        this.exchange = exchange;
        this.clientRequest = clientRequest;
        this.clientResponse = clientResponse;
        this.with = with;
        this.plan = exchange.upstreamPlan();
        this.usageTap = with.usageTaps().create(exchange.operation());
    }

    /** Runs on the container thread of {@code service()}. */
    void start() throws IOException {
        exchange.markForwarded();
        asyncContext = clientRequest.startAsync();
        asyncContext.setTimeout(0); // idle timeouts are enforced per leg, never a total deadline on a stream
        asyncContext.addListener(this);
        ServletOutputStream clientOutput = clientResponse.getOutputStream();
        relay = new ClientResponseSubscriber(asyncContext, clientOutput, this::onRelayEnd);
        clientOutput.setWriteListener(relay.writeListener());

        long declared = clientRequest.getContentLengthLong();
        long limit = with.maxRequestBodyBytes().getAsLong();
        if (declared > limit + BoundedBodyReader.DISCARD_ALLOWANCE) {
            fail(GatewayError.PAYLOAD_TOO_LARGE.exception(tooLarge(limit)));
            return;
        }
        ServletInputStream clientInput = clientRequest.getInputStream();
        clientInput.setReadListener(new BoundedBodyReader(clientInput, declared, limit, this));
    }

    @Override
    public void onBody(byte[] body, int length) {
        byte[] exact = length == body.length ? body : Arrays.copyOf(body, length);
        if (plan.credentials() == null) {
            send(exact, null);
            return;
        }
        plan.credentials().whenComplete((credentials, failure) -> {
            if (failure != null) {
                fail(new GatewayException(GatewayError.SERVICE_UNAVAILABLE,
                        "No AWS credentials for deployment " + plan.deployment().id() + ": "
                                + rootMessage(failure), failure));
            } else {
                send(exact, credentials);
            }
        });
    }

    @Override
    public void onTooLarge(long limit) {
        fail(GatewayError.PAYLOAD_TOO_LARGE.exception(tooLarge(limit)));
    }

    @Override
    public void onReadError(Throwable cause) {
        LOG.log(Level.FINE, "client request body read failed", cause);
        clientGone = true;
        relay.clientGone();
    }

    private void send(byte[] body, AwsCredentialsIdentity credentials) {
        if (clientGone) {
            return;
        }
        AsyncRequestProducer upstreamRequest;
        try {
            upstreamRequest = with.signer().sign(plan, credentials, body);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "signing failed for deployment " + plan.deployment().id(), e);
            fail(new GatewayException(GatewayError.INTERNAL, "The gateway could not sign the upstream request", e));
            return;
        }
        UpstreamResponsePublisher responsePublisher = new UpstreamResponsePublisher(this);
        publisher = responsePublisher;
        Deployment.Timeouts timeouts = plan.deployment().timeouts();
        stats = with.health().of(plan.deployment());
        stats.started(System.currentTimeMillis());
        // The socket timeout is only a backstop: the head timer and the relay's idle watchdog each report their
        // own timeout, so neither may be pre-empted by a generic socket timeout.
        Duration backstop = max(timeouts.responseHead(), timeouts.streamIdle()).plusSeconds(5);
        headTimer = with.timer().schedule(this::onHeadTimeout, timeouts.responseHead().toMillis(),
                TimeUnit.MILLISECONDS);
        upstreamExchange = with.client().execute(upstreamRequest, responsePublisher, backstop, null);
        if (clientGone) {
            upstreamExchange.cancel(true);
        }
    }

    private void onHeadTimeout() {
        if (headDecided.compareAndSet(false, true)) {
            upstreamError = "no response head within " + plan.deployment().timeouts().responseHead();
            cancelUpstream();
            fail(UpstreamFailures.headTimeout(plan.endpoint()));
        }
    }

    @Override
    public void onHead(HttpResponse upstreamResponse, EntityDetails entity) {
        if (!headDecided.compareAndSet(false, true)) {
            return; // the head timed out first; the exchange is being cancelled
        }
        cancel(headTimer);
        if (!relay.withClientResponse(() -> relayHead(upstreamResponse, entity))) {
            cancelUpstream(); // the client went away while upstream was thinking
            return;
        }
        long idleNanos = plan.deployment().timeouts().streamIdle().toNanos();
        long period = Math.max(50, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(idleNanos) / 4));
        watchdog = with.timer().scheduleWithFixedDelay(() -> {
            if (relay.checkIdle(idleNanos, with.clientStallNanos())) {
                cancelWatchdog();
            }
        }, period, period, TimeUnit.MILLISECONDS);
        publisher.subscribe(relay);
    }

    /** Status and headers of the client response, from the upstream head; runs under the relay's client lock. */
    private void relayHead(HttpResponse upstreamResponse, EntityDetails entity) {
        statusSent = upstreamResponse.getCode();
        usageTap.onHead(upstreamResponse.getCode(), name -> headerValue(upstreamResponse, name));
        clientResponse.setStatus(upstreamResponse.getCode());
        Set<String> connectionTokens = HeaderRules.connectionTokens(
                Arrays.stream(upstreamResponse.getHeaders("Connection")).map(Header::getValue).toList());
        for (Header header : upstreamResponse.getHeaders()) {
            String lower = header.getName().toLowerCase(Locale.ROOT);
            if (HeaderRules.relayDownstream(lower, connectionTokens)) {
                clientResponse.addHeader(header.getName(), header.getValue());
            }
        }
        String contentType = entity != null && entity.getContentType() != null
                ? entity.getContentType() : headerValue(upstreamResponse, "Content-Type");
        boolean eventStream = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
        streamed = eventStream;
        if (eventStream) {
            relay.relayFrames(new EventStreamFramer(usageTap::onFrame));
            return;
        }
        relay.tapBody(usageTap::onBodyChunk);
        if (entity == null) {
            clientResponse.setContentLength(0);
        } else if (entity.getContentLength() >= 0) {
            clientResponse.setContentLengthLong(entity.getContentLength());
        }
    }

    @Override
    public void onFailure(Exception cause) {
        if (!headDecided.compareAndSet(false, true)) {
            return;
        }
        cancel(headTimer);
        if (clientGone) {
            relay.clientGone();
            return;
        }
        GatewayException error = UpstreamFailures.toGatewayException(cause, plan.endpoint());
        upstreamError = error.getMessage();
        LOG.log(Level.FINE, () -> "upstream failed before the response head: " + error.getMessage());
        fail(error);
    }

    /** Sends a gateway error through the non-blocking relay. Only valid before the response head was relayed. */
    private void fail(GatewayException error) {
        byte[] body = AwsErrorWriter.body(error.getMessage());
        statusSent = error.error().status();
        boolean clientThere = relay.withClientResponse(() -> {
            clientResponse.setStatus(error.error().status());
            clientResponse.setHeader(AwsErrorWriter.ERROR_TYPE_HEADER, error.error().awsType());
            clientResponse.setHeader(AwsErrorWriter.REQUEST_ID_HEADER, exchange.requestId());
            clientResponse.setContentType("application/json");
            clientResponse.setContentLength(body.length);
        });
        if (clientThere) {
            relay.sendFinal(body);
        }
    }

    private void cancelUpstream() {
        Future<Void> upstream = upstreamExchange;
        if (upstream != null) {
            upstream.cancel(true);
        }
    }

    private void onRelayEnd(ClientResponseSubscriber.Outcome outcome) {
        cancelWatchdog();
        cancel(headTimer);
        long firstByte = relay.firstByteNanos();
        DeploymentStats called = stats;
        if (called != null) {
            int status = statusSent;
            String error = upstreamError != null ? upstreamError
                    : status == 429 || status >= 500 ? "HTTP " + status : null;
            long now = System.nanoTime();
            called.ended(System.currentTimeMillis(), now - exchange.startNanos(),
                    firstByte == 0 ? -1 : firstByte - exchange.startNanos(), usageTap.usage().totalTokens(), error);
        }
        exchange.complete(new CallOutcome(statusSent == 0 ? 499 : statusSent, usageTap.usage(), streamed,
                firstByte == 0 ? -1 : firstByte - exchange.startNanos(), System.nanoTime(),
                usageTap instanceof AgentUsageTap agent ? agent.invokedModel().orElse(null) : null));
        if (outcome != ClientResponseSubscriber.Outcome.COMPLETED) {
            cancelUpstream();
            LOG.fine(() -> "relay ended: " + outcome + " request " + exchange.requestId());
        }
    }

    private void cancelWatchdog() {
        cancel(watchdog);
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        cancelWatchdog();
        cancel(headTimer);
        relay.containerDone(); // from here on the request's objects may serve another connection
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        clientGone = true;
        relay.clientGone();
    }

    @Override
    public void onError(AsyncEvent event) {
        clientGone = true;
        relay.containerDone();
        cancelUpstream();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-dispatched
    }

    private static String headerValue(HttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private static String tooLarge(long limit) {
        return "The request body is larger than the gateway's limit of " + limit + " bytes";
    }

    private static String rootMessage(Throwable failure) {
        Throwable current = failure;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current.getMessage() == null ? current.getClass().getSimpleName() : current.getMessage();
    }
}
