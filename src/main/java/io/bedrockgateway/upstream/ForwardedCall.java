package io.bedrockgateway.upstream;

import io.bedrockgateway.context.CallOutcome;
import io.bedrockgateway.context.GatewayExchange;
import io.bedrockgateway.errors.AwsErrorWriter;
import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;
import io.bedrockgateway.routing.RouteDecision;
import io.bedrockgateway.routing.RouteSelection;
import io.bedrockgateway.routing.RouterSettings;
import io.bedrockgateway.spend.AgentUsageTap;
import io.bedrockgateway.spend.UsageTap;
import io.bedrockgateway.streaming.BoundedBodyReader;
import io.bedrockgateway.streaming.ClientResponseSubscriber;
import io.bedrockgateway.streaming.EventStreamFramer;
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
import org.reactivestreams.Publisher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One proxied call, from the client's body to the end of the relay: read the body (capped), then make attempts
 * (see {@link UpstreamAttempt}) until one yields a response to relay, and stream that back under the client's
 * demand. A retryable failure before anything reached the client moves the call to the next deployment its
 * {@link RouteSelection} offers, after a jittered backoff; once the response head is relayed the call is committed
 * to that deployment.
 *
 * <p>Status and headers are decided only before the response is committed; after that a failure can only end the
 * output (see {@link ClientResponseSubscriber}). A client disconnect cancels the upstream exchange.
 *
 * <p>Thread-safety: steps run on container threads (body, client events), the credentials executor, the timer and
 * reactor threads (head, body), one after the other for each attempt; the hand-over between attempts and the end
 * of the relay synchronize on this object, and fields shared across steps are volatile.
 */
final class ForwardedCall implements BoundedBodyReader.Callback, UpstreamAttempt.Owner, AsyncListener {
    private static final Logger LOG = Logger.getLogger(ForwardedCall.class.getName());

    private final GatewayExchange exchange;
    private final HttpServletRequest clientRequest;
    private final HttpServletResponse clientResponse;
    private final ForwardingServlet.Collaborators with;
    private final UpstreamRequestPlan firstPlan;
    private final RouteSelection routing;
    private final UsageTap usageTap;
    private volatile int statusSent;
    private volatile boolean streamed;
    private volatile byte[] body;
    private AsyncContext asyncContext;
    private ClientResponseSubscriber relay;
    /** Guarded by this. */
    private UpstreamAttempt attempt;
    /** Guarded by this. */
    private boolean relayEnded;
    private volatile ScheduledFuture<?> watchdog;
    private volatile boolean clientGone;

    ForwardedCall(GatewayExchange exchange, HttpServletRequest clientRequest, HttpServletResponse clientResponse,
                  ForwardingServlet.Collaborators with) {
        this.exchange = exchange;
        this.clientRequest = clientRequest;
        this.clientResponse = clientResponse;
        this.with = with;
        this.firstPlan = exchange.upstreamPlan();
        this.routing = exchange.routing();
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
    public void onBody(byte[] received, int length) {
        body = length == received.length ? received : Arrays.copyOf(received, length);
        startAttempt(firstPlan);
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

    private void startAttempt(UpstreamRequestPlan plan) {
        UpstreamAttempt next;
        synchronized (this) {
            if (relayEnded || clientGone) {
                return;
            }
            next = new UpstreamAttempt(this, plan, with, settings(),
                    routing != null && routing.deploymentsMayCoolDown(), usageTap::onFrame);
            attempt = next;
        }
        if (plan.credentials() == null) {
            next.send(body, null);
            return;
        }
        plan.credentials().whenComplete((credentials, failure) -> {
            if (failure != null) {
                next.credentialsFailed(failure);
            } else {
                next.send(body, credentials);
            }
        });
    }

    @Override
    public boolean retry(UpstreamAttempt failed, String why, long retryAfterMillis) {
        failed.end(-1, 0, why, retryAfterMillis);
        if (clientGone) {
            return true; // nothing to retry for; the relay's end settles the call
        }
        RouteDecision next = routing == null ? null : routing.next();
        if (next == null) {
            return false;
        }
        exchange.route(next); // spend and logs follow the deployment that actually serves the call
        long delay = settings().backoffMillis(routing.attempts() - 1, ThreadLocalRandom.current().nextDouble());
        LOG.fine(() -> "request " + exchange.requestId() + ": " + failed.plan().deployment().id() + " failed (" + why
                + "); retrying on " + next.deployment().id() + " in " + delay + " ms");
        UpstreamRequestPlan plan = failed.plan().retarget(next);
        try {
            with.timer().schedule(() -> startAttempt(plan), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) { // the gateway is shutting down: answer with what we have
            return false;
        }
        return true;
    }

    @Override
    public void failed(UpstreamAttempt failedAttempt, GatewayException error) {
        failedAttempt.end(-1, 0, error.error().retryable() ? error.getMessage() : null, 0);
        if (clientGone) {
            relay.clientGone();
            return;
        }
        LOG.log(Level.FINE, () -> "upstream failed before the response head: " + error.getMessage());
        fail(error);
    }

    @Override
    public void relay(UpstreamAttempt relayed, HttpResponse upstreamResponse, EntityDetails entity,
                      Publisher<ByteBuffer> upstreamBody, byte[] firstFrames, EventStreamFramer framer) {
        if (!relay.withClientResponse(() -> relayHead(upstreamResponse, entity, framer))) {
            relayed.cancel(); // the client went away while upstream was thinking
            return;
        }
        if (firstFrames != null) {
            relay.prepend(firstFrames);
        }
        long idleNanos = relayed.plan().deployment().timeouts().streamIdle().toNanos();
        long period = Math.max(50, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(idleNanos) / 4));
        watchdog = with.timer().scheduleWithFixedDelay(() -> {
            if (relay.checkIdle(idleNanos, with.clientStallNanos())) {
                cancelWatchdog();
            }
        }, period, period, TimeUnit.MILLISECONDS);
        upstreamBody.subscribe(relay); // for a gate holding the first frames, this opens it
    }

    /** Status and headers of the client response, from the upstream head; runs under the relay's client lock. */
    private void relayHead(HttpResponse upstreamResponse, EntityDetails entity, EventStreamFramer framer) {
        statusSent = upstreamResponse.getCode();
        usageTap.onHead(upstreamResponse.getCode(), name -> UpstreamAttempt.headerValue(upstreamResponse, name));
        clientResponse.setStatus(upstreamResponse.getCode());
        Set<String> connectionTokens = HeaderRules.connectionTokens(
                Arrays.stream(upstreamResponse.getHeaders("Connection")).map(Header::getValue).toList());
        for (Header header : upstreamResponse.getHeaders()) {
            String lower = header.getName().toLowerCase(Locale.ROOT);
            if (HeaderRules.relayDownstream(lower, connectionTokens)) {
                clientResponse.addHeader(header.getName(), header.getValue());
            }
        }
        boolean eventStream = UpstreamAttempt.isEventStream(upstreamResponse, entity);
        streamed = eventStream;
        if (eventStream) {
            relay.relayFrames(framer != null ? framer : new EventStreamFramer(usageTap::onFrame));
            return;
        }
        relay.tapBody(usageTap::onBodyChunk);
        if (entity == null) {
            clientResponse.setContentLength(0);
        } else if (entity.getContentLength() >= 0) {
            clientResponse.setContentLengthLong(entity.getContentLength());
        }
    }

    /** Sends a gateway error through the non-blocking relay. Only valid before the response head was relayed. */
    private void fail(GatewayException error) {
        byte[] body = AwsErrorWriter.body(error.getMessage());
        statusSent = error.error().status();
        boolean clientThere = relay.withClientResponse(
                () -> AwsErrorWriter.prepare(clientResponse, error, exchange.requestId(), body.length));
        if (clientThere) {
            relay.sendFinal(body);
        }
    }

    private void cancelUpstream() {
        UpstreamAttempt current;
        synchronized (this) {
            current = attempt;
        }
        if (current != null) {
            current.cancel();
        }
    }

    private void onRelayEnd(ClientResponseSubscriber.Outcome outcome) {
        cancelWatchdog();
        UpstreamAttempt last;
        synchronized (this) {
            relayEnded = true;
            last = attempt;
        }
        long firstByte = relay.firstByteNanos();
        if (last != null) {
            int status = statusSent;
            String error = UpstreamAttempt.retryableStatus(status) ? "HTTP " + status
                    : outcome == ClientResponseSubscriber.Outcome.UPSTREAM_FAILED ? "stream failed"
                    : outcome == ClientResponseSubscriber.Outcome.IDLE_TIMEOUT ? "stream idle timeout" : null;
            last.end(firstByte == 0 ? -1 : firstByte - last.startNanos(), usageTap.usage().totalTokens(), error, 0);
        }
        exchange.complete(new CallOutcome(statusSent == 0 ? 499 : statusSent, usageTap.usage(), streamed,
                firstByte == 0 ? -1 : firstByte - exchange.startNanos(), System.nanoTime(),
                usageTap instanceof AgentUsageTap agent ? agent.invokedModel().orElse(null) : null));
        if (outcome != ClientResponseSubscriber.Outcome.COMPLETED) {
            cancelUpstream();
            LOG.fine(() -> "relay ended: " + outcome + " request " + exchange.requestId());
        }
    }

    private RouterSettings settings() {
        return routing == null ? RouterSettings.DEFAULTS : routing.settings();
    }

    private void cancelWatchdog() {
        cancel(watchdog);
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        cancelWatchdog();
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

    private static String tooLarge(long limit) {
        return "The request body is larger than the gateway's limit of " + limit + " bytes";
    }
}
