package io.bedrockgateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static io.bedrockgateway.fake.EventFrames.JSON;

/**
 * bedrock-runtime operations on resources: ApplyGuardrail and the asynchronous-invocation API, whose jobs are
 * kept in memory (a started job stays {@code InProgress}). Thread-safe: the job store is a concurrent map.
 */
final class RuntimeResources {
    /** Text that makes ApplyGuardrail intervene, so both outcomes can be tested. */
    static final String GUARDRAIL_TRIGGER = "BLOCKME";
    private static final Pattern GUARDRAIL_VERSION = Pattern.compile("DRAFT|[1-9][0-9]{0,7}");

    private final Map<String, ObjectNode> asyncInvokes = new ConcurrentHashMap<>();

    FakeResponse applyGuardrail(Call call) {
        if (!GUARDRAIL_VERSION.matcher(call.route.param("guardrailVersion")).matches()) {
            throw AwsError.validation("1 validation error detected: Value at 'guardrailVersion' failed to satisfy "
                    + "constraint: Member must satisfy regular expression pattern: (([1-9][0-9]{0,7})|(DRAFT))")
                    .failure();
        }
        String source = call.require("source").asText();
        if (!source.equals("INPUT") && !source.equals("OUTPUT")) {
            throw AwsError.validation("Value '" + source + "' at 'source' failed to satisfy constraint: Member "
                    + "must satisfy enum value set: [INPUT, OUTPUT]").failure();
        }
        boolean intervene = call.requireArray("content").toString().contains(GUARDRAIL_TRIGGER);
        ObjectNode body = JSON.createObjectNode();
        body.putObject("usage").put("topicPolicyUnits", 1).put("contentPolicyUnits", 1).put("wordPolicyUnits", 1)
                .put("sensitiveInformationPolicyUnits", 1).put("sensitiveInformationPolicyFreeUnits", 0)
                .put("contextualGroundingPolicyUnits", 0);
        body.put("action", intervene ? "GUARDRAIL_INTERVENED" : "NONE");
        ArrayNode outputs = body.putArray("outputs");
        ArrayNode assessments = body.putArray("assessments");
        if (intervene) {
            body.put("actionReason", "Guardrail blocked.");
            outputs.addObject().put("text", "Sorry, the model cannot answer this question.");
            assessments.addObject().putObject("wordPolicy").putArray("customWords").addObject()
                    .put("match", GUARDRAIL_TRIGGER).put("action", "BLOCKED").put("detected", true);
        }
        return FakeResponse.json(body);
    }

    FakeResponse startAsyncInvoke(Call call) {
        String modelId = call.require("modelId").asText();
        if (call.settings.invalidModel(modelId)) {
            throw AwsError.invalidModel().failure();
        }
        call.require("modelInput");
        JsonNode output = call.require("outputDataConfig");
        String arn = call.arn("async-invoke/" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        String now = call.now().toString();
        ObjectNode job = JSON.createObjectNode().put("invocationArn", arn)
                .put("modelArn", modelId.startsWith("arn:") ? modelId
                        : "arn:aws:bedrock:" + call.region() + "::foundation-model/" + modelId);
        if (call.body().hasNonNull("clientRequestToken")) {
            job.put("clientRequestToken", call.body().get("clientRequestToken").asText());
        }
        job.put("status", "InProgress").put("submitTime", now).put("lastModifiedTime", now);
        job.set("outputDataConfig", output);
        asyncInvokes.put(arn, job);
        return FakeResponse.json(JSON.createObjectNode().put("invocationArn", arn));
    }

    FakeResponse getAsyncInvoke(Call call) {
        ObjectNode job = asyncInvokes.get(call.route.param("invocationArn"));
        if (job == null) {
            throw AwsError.notFound("The specified invocation ARN does not exist.").failure();
        }
        return FakeResponse.json(job);
    }

    /** Honours {@code statusEquals}, {@code maxResults} and {@code sortOrder}; other filters are accepted. */
    FakeResponse listAsyncInvokes(Call call) {
        Map<String, String> query = Route.query(call.request.rawQuery());
        List<ObjectNode> jobs = new ArrayList<>(asyncInvokes.values().stream()
                .filter(job -> !query.containsKey("statusEquals")
                        || job.get("status").asText().equals(query.get("statusEquals")))
                .sorted(Comparator.comparing((ObjectNode job) -> job.get("submitTime").asText()))
                .toList());
        if (!"Ascending".equals(query.get("sortOrder"))) {
            Collections.reverse(jobs);
        }
        int max = query.containsKey("maxResults") ? Integer.parseInt(query.get("maxResults")) : 1000;
        ObjectNode body = JSON.createObjectNode();
        ArrayNode summaries = body.putArray("asyncInvokeSummaries");
        jobs.stream().limit(max).forEach(summaries::add);
        return FakeResponse.json(body);
    }
}
