package io.bedrockgateway.spend;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Usage of an InvokeAgent or InvokeInlineAgent response, read from its {@code trace} events (sent only when the
 * request sets {@code enableTrace}; without traces an agent call reports no usage).
 *
 * <p>Every model call of the agent shows up as a {@code modelInvocationOutput} whose {@code metadata.usage} holds
 * {@code inputTokens} and {@code outputTokens}: under {@code preProcessingTrace}, {@code orchestrationTrace},
 * {@code postProcessingTrace} and {@code routingClassifierTrace}, for the agent and for each collaborator of a
 * multi-agent team (their traces come as events of their own). The tap sums them. Other {@code metadata} objects
 * (guardrail, knowledge-base, collaborator and failure traces) are not counted, so that nothing is counted twice.
 *
 * <p>The model: the {@code modelInvocationInput} of the same step (same {@code traceId}) names it in
 * {@code foundationModel}; a step whose input named none is attributed to the last model named.
 * {@link #usageByModel()} has the split, {@link #invokedModel()} the first model named.
 *
 * <p>Trace events are scanned with a streaming parser (their prompt texts are not materialised); events that do not
 * mention {@code modelInvocation} are not parsed at all.
 *
 * <p>Thread-safety: as {@link UsageTap}; {@link #usage()}, {@link #usageByModel()} and {@link #invokedModel()} may
 * be called from any thread.
 */
public final class AgentUsageTap extends EventStreamUsageTap {
    /** Key of {@link #usageByModel()} for usage whose model no trace named. */
    public static final String UNKNOWN_MODEL = "";
    private static final byte[] MODEL_INVOCATION = Bytes.ascii("\"modelInvocation");
    private static final String INPUT = "modelInvocationInput";
    private static final String OUTPUT = "modelInvocationOutput";
    private static final int MAX_TRACKED_STEPS = 64;

    private final Map<String, String> modelByTraceId = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_TRACKED_STEPS;
        }
    };
    private volatile Usage usage = Usage.NONE;
    private volatile Map<String, Usage> byModel = Map.of();
    private volatile String firstModel;
    private String lastModel;
    private final Step step = new Step();

    AgentUsageTap() {
        super("trace");
    }

    @Override
    public Usage usage() {
        return usage;
    }

    /** The first foundation model the traces named, if any: the model to price the call with. */
    public Optional<String> invokedModel() {
        return Optional.ofNullable(firstModel);
    }

    /**
     * The usage split by the model that produced it (collaborators may use other models); usage no trace attributed
     * to a model is under {@link #UNKNOWN_MODEL}. An unmodifiable snapshot.
     */
    public Map<String, Usage> usageByModel() {
        return byModel;
    }

    @Override
    void onEvent(byte[] payload) {
        if (!Bytes.contains(payload, payload.length, MODEL_INVOCATION)) {
            return;
        }
        try (JsonParser parser = UsageJson.JSON.getFactory().createParser(payload)) {
            step.clear();
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.END_OBJECT) {
                    // The context is already the parent's: its current name is the closed object's name.
                    onObjectEnd(parser.getParsingContext().getCurrentName());
                } else if (token.isScalarValue()) {
                    onValue(parser);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void onValue(JsonParser parser) throws IOException {
        JsonStreamContext context = parser.getParsingContext();
        String name = context.getCurrentName();
        String owner = openedAs(context);
        if (name == null || owner == null) {
            return;
        }
        if ((INPUT.equals(owner) || OUTPUT.equals(owner)) && name.equals("traceId")) {
            step.traceId = parser.getValueAsString();
        } else if (INPUT.equals(owner) && name.equals("foundationModel")) {
            step.model = parser.getValueAsString();
        } else if (owner.equals("usage") && parser.currentToken() == JsonToken.VALUE_NUMBER_INT
                && "metadata".equals(openedAs(context.getParent()))
                && OUTPUT.equals(openedAs(context.getParent().getParent()))) {
            long tokens = Math.max(0, parser.getLongValue());
            if (name.equals("inputTokens")) {
                step.input = tokens;
            } else if (name.equals("outputTokens")) {
                step.output = tokens;
            }
        }
    }

    private void onObjectEnd(String closed) {
        if (INPUT.equals(closed)) {
            if (step.model != null && !step.model.isBlank()) {
                lastModel = step.model;
                if (firstModel == null) {
                    firstModel = step.model;
                }
                if (step.traceId != null) {
                    modelByTraceId.put(step.traceId, step.model);
                }
            }
            step.clear();
        } else if (OUTPUT.equals(closed)) {
            if (step.input > 0 || step.output > 0) {
                String model = step.traceId == null ? null : modelByTraceId.get(step.traceId);
                record(model != null ? model : lastModel != null ? lastModel : UNKNOWN_MODEL,
                        new Usage(step.input, step.output, 0, 0));
            }
            step.clear();
        }
    }

    private void record(String model, Usage seen) {
        Map<String, Usage> split = new LinkedHashMap<>(byModel);
        split.merge(model, seen, Usage::plus);
        byModel = Map.copyOf(split);
        usage = usage.plus(seen);
    }

    /** The field name under which the object of this context was opened, or {@code null}. */
    private static String openedAs(JsonStreamContext context) {
        JsonStreamContext parent = context == null ? null : context.getParent();
        return context != null && context.inObject() && parent != null ? parent.getCurrentName() : null;
    }

    /** What one {@code modelInvocationInput} or {@code modelInvocationOutput} object said. */
    private static final class Step {
        String traceId;
        String model;
        long input;
        long output;

        void clear() {
            traceId = null;
            model = null;
            input = 0;
            output = 0;
        }
    }
}
