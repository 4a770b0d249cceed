// ConverseStream calls with the SDK's default transport for event streams: h2c, a connection of its own per call,
// which the SDK starts closing with GOAWAY as soon as the response head arrives.
// Usage: node streams.mjs <gateway /bedrock endpoint> <model alias> <calls>; the key in AWS_BEARER_TOKEN_BEDROCK.
// Prints {"whole": n, "cut": n, "errors": [...]}: whole = the stream reached its metadata event, cut = it ended
// without one and without an error.
import { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";

const [endpoint, modelId, calls] = process.argv.slice(2);
const client = new BedrockRuntimeClient({ region: "us-west-2", endpoint, maxAttempts: 1 });
const messages = [{ role: "user", content: [{ text: "Stream please" }] }];
const result = { whole: 0, cut: 0, errors: [] };
for (let i = 0; i < Number(calls); i++) {
  try {
    const { stream } = await client.send(new ConverseStreamCommand({ modelId, messages }));
    let metadata = false;
    for await (const event of stream) if (event.metadata) metadata = true;
    if (metadata) result.whole++; else result.cut++;
  } catch (e) {
    result.errors.push(e.code ?? e.name);
  }
}
console.log(JSON.stringify(result));
