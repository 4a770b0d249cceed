/**
 * Non-blocking body handling on both legs of a proxied call.
 *
 * <p>Request: {@link io.bedrockgateway.streaming.BoundedBodyReader} reads the client body with a
 * {@code ReadListener} into one capped buffer (SigV4 signs the payload hash, so the body is needed whole).
 *
 * <p>Response, with back-pressure driven by the client:
 * <pre>
 *   upstream socket
 *        |  reactor thread: consume(chunk)           (stops reading when the capacity window is spent)
 *        v
 *   UpstreamResponsePublisher  --- onNext(chunk) ---&gt;  ClientResponseSubscriber
 *        ^                        (one at a time)         |  EventStreamFramer: whole frames only
 *        |                                                |  ServletOutputStream.write + flush per batch
 *        |  request(1) once the previous chunk           v
 *        +------ is written and isReady() is true ----  client socket
 *              (capacity reopened by the bytes taken)     (container calls onWritePossible when it drains)
 * </pre>
 * One chunk is in flight at a time, so a slow client holds back the upstream reads instead of filling memory;
 * {@code UpstreamResponsePublisher}'s buffer bound covers upstream bursts that overrun the window. A failure after
 * the response head has gone out ends an event stream with an exception frame
 * ({@link io.bedrockgateway.streaming.EventStreamFrames}); a client disconnect cancels the upstream exchange.
 */
package io.bedrockgateway.streaming;
