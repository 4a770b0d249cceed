package io.bedrockgateway.context;

import io.bedrockgateway.auth.GatewayPrincipal;
import io.bedrockgateway.auth.PresentedKey;
import io.bedrockgateway.routing.BedrockOperation;
import io.bedrockgateway.routing.RouteDecision;
import io.bedrockgateway.routing.RouteSelection;
import io.bedrockgateway.upstream.UpstreamRequestPlan;
import jakarta.servlet.ServletRequest;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Typed per-request state, handed from filter to filter and on to the forwarding servlet. Exactly one request
 * attribute ({@link #ATTRIBUTE}) holds it; filters never pass loose attributes.
 *
 * <p>Thread-safety: the filters write it on the container thread, in order, before the forwarding servlet starts
 * async processing. {@code startAsync} and the executor hand-offs that follow publish those writes safely; after
 * that the fields are only read. Fields are volatile so that late readers (timeouts, spend) see them too.
 */
public final class GatewayExchange {
    public static final String ATTRIBUTE = GatewayExchange.class.getName();

    private final String requestId = newRequestId();
    private final long startNanos = System.nanoTime();
    private final long startEpochMillis = System.currentTimeMillis();
    private volatile GatewayPrincipal principal;
    private volatile PresentedKey presentedKey;
    private volatile UpstreamRequestPlan upstreamPlan;
    private volatile String endUser;
    private volatile boolean forwarded;
    private volatile Object admission;
    private final AtomicBoolean completed = new AtomicBoolean();
    private final List<Consumer<CallOutcome>> completionListeners =
            new CopyOnWriteArrayList<>();
    private volatile BedrockOperation operation;
    private volatile RouteDecision route;
    private volatile RouteSelection routing;

    /**
     * A random (version 4) UUID. Request ids need to be unique, not unguessable, so they come from
     * {@link ThreadLocalRandom}: {@code UUID.randomUUID()} serializes every request on one SecureRandom lock.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** Returns the exchange of {@code clientRequest}, creating it on first use. */
    public static GatewayExchange of(ServletRequest clientRequest) {
        Object existing = clientRequest.getAttribute(ATTRIBUTE);
        if (existing instanceof GatewayExchange exchange) {
            return exchange;
        }
        GatewayExchange exchange = new GatewayExchange();
        clientRequest.setAttribute(ATTRIBUTE, exchange);
        return exchange;
    }

    /** Request id sent back as {@code x-amzn-RequestId} on gateway errors and used in logs. */
    public String requestId() {
        return requestId;
    }

    public long startNanos() {
        return startNanos;
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    /** Set by the authentication filter. */
    public GatewayPrincipal principal() {
        return principal;
    }

    public void principal(GatewayPrincipal principal) {
        this.principal = principal;
    }

    /** Set by the authentication filter: the key as presented, so that it is never forwarded. */
    public PresentedKey presentedKey() {
        return presentedKey;
    }

    public void presentedKey(PresentedKey presentedKey) {
        this.presentedKey = presentedKey;
    }

    /** Set by the signing filter: the upstream request, short of its body and signature. */
    public UpstreamRequestPlan upstreamPlan() {
        return upstreamPlan;
    }

    public void upstreamPlan(UpstreamRequestPlan upstreamPlan) {
        this.upstreamPlan = upstreamPlan;
    }

    /** Whether the forwarding servlet took the call over (it then completes the call itself). */
    public boolean forwarded() {
        return forwarded;
    }

    public void markForwarded() {
        this.forwarded = true;
    }

    /** The end user the call is made for ({@code x-end-user-id}), or {@code null}. */
    public String endUser() {
        return endUser;
    }

    public void endUser(String endUser) {
        this.endUser = endUser;
    }

    /** The governance filter's admission (reservation) for this call, or {@code null}. */
    public Object admission() {
        return admission;
    }

    public void admission(Object admission) {
        this.admission = admission;
    }

    /**
     * Registers a listener for the end of the call. Listeners run once, on whichever thread ends the call, in
     * registration order; they must not block.
     */
    public void onComplete(Consumer<CallOutcome> listener) {
        completionListeners.add(listener);
    }

    /** Ends the call: the first invocation runs the listeners, later ones do nothing. */
    public void complete(CallOutcome outcome) {
        if (completed.compareAndSet(false, true)) {
            for (Consumer<CallOutcome> listener : completionListeners) {
                listener.accept(outcome);
            }
        }
    }

    public boolean isCompleted() {
        return completed.get();
    }

    /** Set by the routing filter: which Bedrock API the client called. */
    public BedrockOperation operation() {
        return operation;
    }

    public void operation(BedrockOperation operation) {
        this.operation = operation;
    }

    /** Set by the routing filter: where the call goes; a retry on another deployment replaces it. */
    public RouteDecision route() {
        return route;
    }

    /** Set by the routing filter: the routing of this call's attempts (retries, fallbacks). */
    public RouteSelection routing() {
        return routing;
    }

    public void routing(RouteSelection routing) {
        this.routing = routing;
    }

    public void route(RouteDecision route) {
        this.route = route;
    }
}
