package io.bedrockgateway.upstream;

import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.DeploymentStats;
import io.bedrockgateway.routing.RouterSettings;
import io.bedrockgateway.streaming.EventStreamFramer;
import io.bedrockgateway.streaming.EventStreamFrames;
import io.bedrockgateway.streaming.FirstFrameGate;
import io.bedrockgateway.streaming.UpstreamResponsePublisher;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One try of a forwarded call against one deployment: sign, send, wait for the response head (and, for an event
 * stream, its first whole frame), then either hand the response to the client relay or report a retryable
 * failure. Until the hand-over nothing has reached the client, which is what makes a retry on another deployment
 * safe.
 *
 * <p>Retryable: a 429 or 5xx answer, a connect failure, a reset before the head, no head within {@code timeout},
 * and for streams no first frame within {@code stream_timeout}, a stream that ends before its first frame, or one
 * that opens with a throttling or service exception frame.
 *
 * <p>Thread-safety: steps run on the credentials executor, reactor and timer threads, one after the other; the
 * races between the head, its timeout and a failure are settled by compare-and-set.
 */
final class UpstreamAttempt implements UpstreamResponsePublisher.HeadListener, FirstFrameGate.Listener {
    private static final Logger LOG = Logger.getLogger(UpstreamAttempt.class.getName());
    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    /** What the attempt reports to its call. Called at most once per attempt, except {@link #retry} then nothing. */
    interface Owner {
        /**
         * A retryable failure before anything reached the client.
         *
         * @return whether the call goes on elsewhere (the attempt then drops its response); {@code false} when no
         * deployment is left, and the attempt relays what it has
         */
        boolean retry(UpstreamAttempt attempt, String why, long retryAfterMillis);

        /** A failure before the head that the attempt cannot relay (it has no response to show). */
        void failed(UpstreamAttempt attempt, GatewayException error);

        /**
         * The response to relay: head, and the body as a publisher (or the gate holding the first frames).
         *
         * @param firstFrames frames the gate already took, or {@code null}
         * @param framer      the framer the relay continues with for an event stream, or {@code null}
         */
        void relay(UpstreamAttempt attempt, HttpResponse head, EntityDetails entity, Publisher<ByteBuffer> body,
                   byte[] firstFrames, EventStreamFramer framer);
    }

    private final Owner owner;
    private final UpstreamRequestPlan plan;
    private final ForwardingServlet.Collaborators with;
    private final RouterSettings settings;
    private final boolean mayCoolDown;
    private final Consumer<ByteBuffer> frameListener;
    private final DeploymentStats stats;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean headDecided = new AtomicBoolean();
    private final AtomicBoolean frameDecided = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final UpstreamResponsePublisher publisher = new UpstreamResponsePublisher(this);
    private volatile Future<Void> upstreamExchange;
    private volatile ScheduledFuture<?> timer;
    private volatile boolean cancelled;
    private volatile HttpResponse head;
    private volatile EntityDetails entity;

    UpstreamAttempt(Owner owner, UpstreamRequestPlan plan, ForwardingServlet.Collaborators with,
                    RouterSettings settings, boolean mayCoolDown, Consumer<ByteBuffer> frameListener) {
        this.owner = owner;
        this.plan = plan;
        this.with = with;
        this.settings = settings;
        this.mayCoolDown = mayCoolDown;
        this.frameListener = frameListener;
        this.stats = with.health().of(plan.deployment());
        stats.started(System.currentTimeMillis());
    }

    UpstreamRequestPlan plan() {
        return plan;
    }

    long startNanos() {
        return startNanos;
    }

    /** Signs and sends {@code body}; {@code credentials} is {@code null} for bearer-token deployments. */
    void send(byte[] body, AwsCredentialsIdentity credentials) {
        if (cancelled) {
            return;
        }
        AsyncRequestProducer upstreamRequest;
        try {
            upstreamRequest = with.signer().sign(plan, credentials, body);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "signing failed for deployment " + plan.deployment().id(), e);
            if (headDecided.compareAndSet(false, true)) {
                owner.failed(this, new GatewayException(GatewayError.INTERNAL,
                        "The gateway could not sign the upstream request", e));
            }
            return;
        }
        Deployment.Timeouts timeouts = plan.deployment().timeouts();
        // The socket timeout is only a backstop: the head timer and the relay's idle watchdog each report their
        // own timeout, so neither may be pre-empted by a generic socket timeout.
        Duration backstop = max(timeouts.responseHead(), timeouts.streamIdle()).plusSeconds(5);
        timer = with.timer().schedule(this::onHeadTimeout, timeouts.responseHead().toMillis(),
                TimeUnit.MILLISECONDS);
        upstreamExchange = with.client().execute(upstreamRequest, publisher, backstop, null);
        if (cancelled) {
            cancel();
        }
    }

    /** Could not even start: no credentials for this deployment. */
    void credentialsFailed(Throwable failure) {
        if (headDecided.compareAndSet(false, true)) {
            reportFailure(new GatewayException(GatewayError.SERVICE_UNAVAILABLE, "No AWS credentials for deployment "
                    + plan.deployment().id() + ": " + rootMessage(failure), failure), 0);
        }
    }

    private void onHeadTimeout() {
        if (headDecided.compareAndSet(false, true)) {
            cancelExchange();
            reportFailure(UpstreamFailures.headTimeout(plan.endpoint()), 0);
        }
    }

    @Override
    public void onFailure(Exception cause) {
        if (headDecided.compareAndSet(false, true)) {
            cancel(timer);
            if (!cancelled) {
                reportFailure(UpstreamFailures.toGatewayException(cause, plan.endpoint()), 0);
            }
        }
    }

    @Override
    public void onHead(HttpResponse upstreamResponse, EntityDetails upstreamEntity) {
        if (!headDecided.compareAndSet(false, true)) {
            return; // the head timed out first; the exchange is being cancelled
        }
        cancel(timer);
        head = upstreamResponse;
        entity = upstreamEntity;
        int status = upstreamResponse.getCode();
        if (cancelled) {
            cancelExchange();
            return;
        }
        if (retryableStatus(status)) {
            String retryAfter = headerValue(upstreamResponse, "Retry-After");
            String why = "HTTP " + status + errorType(upstreamResponse);
            if (owner.retry(this, why, UpstreamFailures.retryAfterMillis(retryAfter, System.currentTimeMillis()))) {
                cancelExchange();
                return;
            }
        }
        if (status == 200 && upstreamEntity != null && isEventStream(upstreamResponse, upstreamEntity)) {
            long idle = plan.deployment().timeouts().streamIdle().toMillis();
            timer = with.timer().schedule(this::onFirstFrameTimeout, idle, TimeUnit.MILLISECONDS);
            publisher.subscribe(new FirstFrameGate(new EventStreamFramer(frameListener), this));
            return;
        }
        owner.relay(this, upstreamResponse, upstreamEntity, publisher, null, null);
    }

    @Override
    public void onFirstFrames(FirstFrameGate gate, byte[] frames) {
        if (!frameDecided.compareAndSet(false, true)) {
            gate.cancel();
            return;
        }
        cancel(timer);
        String exception = EventStreamFrames.exceptionTypeOfFirst(frames);
        if (exception != null && EventStreamFrames.RETRYABLE_EXCEPTIONS.contains(exception)
                && owner.retry(this, "stream opened with " + exception, 0)) {
            gate.cancel();
            cancelExchange();
            return;
        }
        owner.relay(this, head, entity, gate, frames, gate.framer());
    }

    @Override
    public void onNoFrame(FirstFrameGate gate, Throwable failure) {
        if (frameDecided.compareAndSet(false, true)) {
            cancel(timer);
            cancelExchange();
            String why = failure == null ? "ended" : "failed (" + failure.getClass().getSimpleName() + ")";
            reportFailure(new GatewayException(GatewayError.BAD_GATEWAY, "The upstream " + host()
                    + " stream " + why + " before its first event"), 0);
        }
    }

    private void onFirstFrameTimeout() {
        if (frameDecided.compareAndSet(false, true)) {
            cancelExchange();
            reportFailure(new GatewayException(GatewayError.UPSTREAM_TIMEOUT, "The upstream " + host()
                    + " sent no stream event within " + plan.deployment().timeouts().streamIdle().toSeconds()
                    + "s"), 0);
        }
    }

    private void reportFailure(GatewayException error, long retryAfterMillis) {
        if (cancelled) {
            return;
        }
        if (error.error().retryable() && owner.retry(this, error.getMessage(), retryAfterMillis)) {
            return;
        }
        owner.failed(this, error);
    }

    /**
     * Ends this attempt's bookkeeping, once: the deployment's live numbers, and its cooldown when the attempt
     * failed for upstream reasons and the deployment has others beside it.
     *
     * @param error why the deployment failed, or {@code null}
     */
    void end(long ttfbNanos, long tokens, String error, long retryAfterMillis) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        long now = System.currentTimeMillis();
        stats.ended(now, System.nanoTime() - startNanos, ttfbNanos, tokens, error);
        if (error != null && mayCoolDown && stats.failed(now, settings, retryAfterMillis, error)) {
            LOG.info(() -> "deployment " + plan.deployment().id() + " cooling down: " + stats.cooldownReason());
        }
    }

    /** Stops the attempt: the call is over or goes on elsewhere. */
    void cancel() {
        cancelled = true;
        cancel(timer);
        cancelExchange();
    }

    private void cancelExchange() {
        Future<Void> upstream = upstreamExchange;
        if (upstream != null) {
            upstream.cancel(true);
        }
    }

    /** Answers that another deployment may not give: throttling and server-side failures. */
    static boolean retryableStatus(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** Whether the response is {@code application/vnd.amazon.eventstream}; {@code entity} may be {@code null}. */
    static boolean isEventStream(HttpResponse response, EntityDetails entity) {
        String contentType = entity != null && entity.getContentType() != null ? entity.getContentType()
                : headerValue(response, "Content-Type");
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
    }

    private static String errorType(HttpResponse response) {
        String type = headerValue(response, "x-amzn-ErrorType");
        if (type == null) {
            return "";
        }
        int colon = type.indexOf(':');
        return " " + (colon >= 0 ? type.substring(0, colon) : type);
    }

    static String headerValue(HttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private String host() {
        return UpstreamFailures.hostOf(plan.endpoint());
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String rootMessage(Throwable failure) {
        Throwable current = failure;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current.getMessage() == null ? current.getClass().getSimpleName() : current.getMessage();
    }
}
