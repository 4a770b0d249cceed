package io.bedrockgateway.fake;

import io.bedrockgateway.fake.RecordedRequest.AuthType;
import io.bedrockgateway.fake.RecordedRequest.Outcome;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers one parsed request: authenticate, record, pick a fault, run the route handler, write the response.
 * Authentication comes first and faults apply only to authenticated, routed requests, so an injected fault never
 * hides a signing bug.
 *
 * <p>Thread-safe: shared state lives in {@link FakeSettings}, {@link RequestLog} and the fault list (copy-on-write);
 * each call runs on its connection's thread.
 */
final class RequestDispatcher {
    static final String FAULT_HEADER = "x-fake-fault";

    private final FakeSettings settings;
    private final RequestLog log;
    private final List<FaultRule> faults = new CopyOnWriteArrayList<>();
    private final SigV4Verifier verifier = new SigV4Verifier("bedrock");
    private final RuntimeResources runtime = new RuntimeResources();
    private final AgentHandlers agents = new AgentHandlers();

    RequestDispatcher(FakeSettings settings, RequestLog log) {
        this.settings = settings;
        this.log = log;
    }

    FaultRule addFault(RequestMatcher matcher, Fault fault, int times) {
        FaultRule[] holder = new FaultRule[1];
        holder[0] = new FaultRule(matcher, fault, times, () -> faults.remove(holder[0]));
        faults.add(holder[0]);
        return holder[0];
    }

    void clearFaults() {
        faults.clear();
    }

    /** Handles one request; returns whether the connection may carry another. */
    boolean dispatch(RawRequest raw, ResponseChannel channel) throws IOException {
        Route route = Route.resolve(raw.method(), raw.rawPath());
        AuthResult auth = authenticate(raw, route);
        RecordedRequest request = new RecordedRequest(log.nextSequence(), settings.clock.instant(), raw, route, auth,
                UUID.randomUUID().toString());
        log.add(request);
        channel.begin(request);
        boolean close = "close".equalsIgnoreCase(raw.header("Connection")) || "HTTP/1.0".equals(raw.version());
        try {
            ResponseWriter writer = new ResponseWriter(channel, request, settings, close);
            if (!auth.ok()) {
                writer.send(FakeResponse.error(auth.error(), null), Fault.NONE);
            } else if (route == null) {
                writer.send(FakeResponse.error(new AwsError(404, "UnknownOperationException",
                        "The requested operation is not recognized by the service."), null), Fault.NONE);
            } else {
                answer(raw, route, request, writer);
            }
        } catch (IOException e) {
            request.finish(Outcome.PEER_GONE);
            throw e;
        }
        request.finish(channel.isOpen() ? Outcome.COMPLETED : Outcome.CUT);
        return channel.isOpen() && !close;
    }

    private void answer(RawRequest raw, Route route, RecordedRequest request, ResponseWriter writer)
            throws IOException {
        Fault fault;
        try {
            fault = faultFor(raw, request);
        } catch (RuntimeException e) {
            writer.send(FakeResponse.error(AwsError.validation("Unparseable " + FAULT_HEADER + " header: "
                    + raw.header(FAULT_HEADER)), null), Fault.NONE);
            return;
        }
        if (fault.closeBeforeHead) {
            writer.abort(false);
            return;
        }
        if (fault.headDelayMs > 0) {
            sleep(fault.headDelayMs);
        }
        FakeResponse response;
        if (fault.error != null) {
            response = FakeResponse.error(fault.error, fault.retryAfter);
        } else {
            try {
                response = handle(new Call(request, route, settings));
            } catch (AwsError.Failure failure) {
                response = FakeResponse.error(failure.error(), null);
            }
        }
        writer.send(response, fault);
    }

    private Fault faultFor(RawRequest raw, RecordedRequest request) {
        String header = raw.header(FAULT_HEADER);
        if (header != null) {
            return Fault.parseHeader(header);
        }
        for (FaultRule rule : faults) {
            if (rule.tryFire(request)) {
                return rule.fault();
            }
        }
        return Fault.NONE;
    }

    private FakeResponse handle(Call call) {
        return switch (call.route.operation()) {
            case CONVERSE -> RuntimeHandlers.converse(call);
            case CONVERSE_STREAM -> RuntimeHandlers.converseStream(call);
            case INVOKE_MODEL -> RuntimeHandlers.invokeModel(call);
            case INVOKE_MODEL_STREAM -> RuntimeHandlers.invokeModelStream(call);
            case COUNT_TOKENS -> RuntimeHandlers.countTokens(call);
            case APPLY_GUARDRAIL -> runtime.applyGuardrail(call);
            case START_ASYNC_INVOKE -> runtime.startAsyncInvoke(call);
            case GET_ASYNC_INVOKE -> runtime.getAsyncInvoke(call);
            case LIST_ASYNC_INVOKES -> runtime.listAsyncInvokes(call);
            case INVOKE_AGENT -> agents.invokeAgent(call);
            case INVOKE_INLINE_AGENT -> agents.invokeInlineAgent(call);
            case RETRIEVE -> agents.retrieve(call);
            case RETRIEVE_AND_GENERATE -> agents.retrieveAndGenerate(call);
            case RETRIEVE_AND_GENERATE_STREAM -> agents.retrieveAndGenerateStream(call);
            case RERANK -> agents.rerank(call);
            case INVOKE_FLOW -> agents.invokeFlow(call);
            case CREATE_SESSION -> agents.createSession(call);
            case GET_SESSION -> agents.getSession(call);
            case END_SESSION -> agents.endSession(call);
            case DELETE_SESSION -> agents.deleteSession(call);
        };
    }

    /**
     * Bearer tokens (Bedrock API keys) are accepted by bedrock-runtime only: the agent-runtime service and its
     * SDK clients support SigV4 alone.
     */
    private AuthResult authenticate(RawRequest raw, Route route) {
        String authorization = raw.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (route != null && Operation.AGENT.equals(route.operation().service())) {
                return AuthResult.fail(AuthType.BEARER, null, null, null, new AwsError(403,
                        "AccessDeniedException", "Bearer token authentication is not supported for this API."));
            }
            if (settings.bearerTokens.contains(authorization.substring(7).strip())) {
                return new AuthResult(AuthType.BEARER, true, null, settings.region, null, null);
            }
            return AuthResult.fail(AuthType.BEARER, null, null, null, new AwsError(403,
                    "UnrecognizedClientException", "The security token included in the request is invalid."));
        }
        return verifier.verify(raw, settings.credentials::get, settings.region, settings.clock.instant());
    }

    static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("fake closed while delaying");
        }
    }
}
