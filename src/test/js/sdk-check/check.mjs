// The AWS SDK for JavaScript v3, pointed at the gateway the way a Node.js application would be: the runtime client
// with the gateway key in AWS_BEARER_TOKEN_BEDROCK, the agent-runtime client with the key as its SigV4 access key id.
// Usage: node check.mjs <gateway /bedrock endpoint> <model alias>
// Prints one JSON object with what each call returned; exits 1 on an unexpected failure. The gateway key comes from
// AWS_BEARER_TOKEN_BEDROCK, which the runtime client reads itself.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { BedrockAgentRuntimeClient, RetrieveCommand } from "@aws-sdk/client-bedrock-agent-runtime";

const [endpoint, modelId] = process.argv.slice(2);
const key = process.env.AWS_BEARER_TOKEN_BEDROCK;
const runtime = new BedrockRuntimeClient({ region: "us-west-2", endpoint, maxAttempts: 1 });
const messages = [{ role: "user", content: [{ text: "Hello from JavaScript" }] }];
const result = {};

const converse = await runtime.send(new ConverseCommand({ modelId, messages }));
result.converse = {
  text: converse.output.message.content[0].text,
  inputTokens: converse.usage.inputTokens,
  outputTokens: converse.usage.outputTokens,
};

const stream = await runtime.send(new ConverseStreamCommand({ modelId, messages }));
const deltas = [];
let streamUsage = null;
for await (const event of stream.stream) {
  if (event.contentBlockDelta) deltas.push(event.contentBlockDelta.delta.text);
  if (event.metadata) streamUsage = event.metadata.usage;
}
result.converseStream = { text: deltas.join(""), events: deltas.length, outputTokens: streamUsage?.outputTokens };

const invokeBody = JSON.stringify({
  anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: "Hi" }],
});
const invoked = await runtime.send(new InvokeModelCommand({
  modelId, contentType: "application/json", accept: "application/json", body: invokeBody,
}));
result.invokeModel = JSON.parse(new TextDecoder().decode(invoked.body));

const invokedStream = await runtime.send(new InvokeModelWithResponseStreamCommand({
  modelId, contentType: "application/json", body: invokeBody,
}));
const chunks = [];
for await (const event of invokedStream.body) {
  if (event.chunk) chunks.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)).type);
}
result.invokeModelWithResponseStream = { chunkTypes: chunks };

const wrongKey = new BedrockRuntimeClient({
  region: "us-west-2", endpoint, maxAttempts: 1, token: { token: "sk-not-a-gateway-key" },
  authSchemePreference: ["httpBearerAuth"],
});
try {
  await wrongKey.send(new ConverseCommand({ modelId, messages }));
  result.wrongKey = { error: null };
} catch (e) {
  result.wrongKey = { error: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
}

const agent = new BedrockAgentRuntimeClient({
  region: "us-west-2", endpoint, maxAttempts: 1,
  credentials: { accessKeyId: key, secretAccessKey: "unused" },
});
const retrieved = await agent.send(new RetrieveCommand({
  knowledgeBaseId: "KB12345678", retrievalQuery: { text: "what is the gateway?" },
}));
result.retrieve = { results: retrieved.retrievalResults.length };

console.log(JSON.stringify(result));
