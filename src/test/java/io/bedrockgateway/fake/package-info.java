/**
 * A fake AWS Bedrock upstream for the gateway's tests: {@link io.bedrockgateway.fake.FakeBedrock} is the only entry
 * point; {@link io.bedrockgateway.fake.RecordedRequest}, {@link io.bedrockgateway.fake.Fault},
 * {@link io.bedrockgateway.fake.FaultRule}, {@link io.bedrockgateway.fake.RequestMatcher} and
 * {@link io.bedrockgateway.fake.Usage} are its vocabulary.
 *
 * <p>One request's path through the fake, all on its connection's thread:
 * <pre>
 *   FakeHttpServer (accept, thread per connection, keep-alive)
 *     -> HttpRequestReader   request line, headers in order, Content-Length or chunked body
 *     -> RequestDispatcher   Route.resolve; SigV4Verifier or bearer; RecordedRequest logged;
 *                            fault chosen (x-fake-fault header, else first FaultRule that fires)
 *     -> RuntimeHandlers / RuntimeResources / AgentHandlers   FakeResponse (fixed JSON or EventStreamPlan)
 *     -> ResponseWriter      applies cuts, delays, exception frames, big streams
 *     -> ResponseChannel     blocking socket writes, one HTTP chunk per frame, byte counting
 * </pre>
 *
 * <p>The {@code x-fake-fault} request header takes comma-separated items: {@code 400}, {@code 429}, {@code 500},
 * {@code 503} (any status), {@code slow-head:<ms>}, {@code cut-after:<frames>}, {@code cut-inside:<frames>},
 * {@code reset-after:<frames>}, {@code slow-stream:<ms>}, {@code big-stream:<bytes>:<frameSize>},
 * {@code exception-after:<frames>:<exceptionType>}, {@code close}.
 */
package io.bedrockgateway.fake;
