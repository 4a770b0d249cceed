package io.bedrockgateway.fake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Puts one {@link FakeResponse} on the wire through a {@link ResponseChannel}, applying the stream-shaping parts of
 * a {@link Fault}: frame delays, cuts, mid-stream exception frames, big streams.
 *
 * <p>Confined to its connection's thread.
 */
final class ResponseWriter {
    private final ResponseChannel channel;
    private final RecordedRequest request;
    private final FakeSettings settings;
    private final boolean close;

    ResponseWriter(ResponseChannel channel, RecordedRequest request, FakeSettings settings, boolean close) {
        this.channel = channel;
        this.request = request;
        this.settings = settings;
        this.close = close;
    }

    void send(FakeResponse response, Fault fault) throws IOException {
        if (response instanceof FakeResponse.Fixed fixed) {
            sendFixed(fixed, fault);
        } else {
            sendStream((FakeResponse.Stream) response, fault);
        }
    }

    void abort(boolean reset) {
        channel.abort(reset);
    }

    private void sendFixed(FakeResponse.Fixed fixed, Fault fault) throws IOException {
        List<Map.Entry<String, String>> headers = withCommon(fixed.headers());
        headers.add(FakeResponse.header("Content-Length", String.valueOf(fixed.body().length)));
        channel.head(fixed.status(), headers, settings.clock.instant(), close, false);
        if (fault.cutAfterFrames >= 0 && fixed.status() < 300) {
            channel.body(Arrays.copyOf(fixed.body(), fixed.body().length / 2), true);
            channel.abort(fault.reset);
            return;
        }
        if (fault.frameDelayMs > 0) {
            byte[] body = fixed.body();
            for (int slice = 0; slice < 4; slice++) {
                if (slice > 0) {
                    RequestDispatcher.sleep(fault.frameDelayMs);
                }
                channel.body(Arrays.copyOfRange(body, slice * body.length / 4, (slice + 1) * body.length / 4), true);
            }
            return;
        }
        channel.body(fixed.body(), true);
    }

    private void sendStream(FakeResponse.Stream stream, Fault fault) throws IOException {
        List<Map.Entry<String, String>> headers = withCommon(stream.headers());
        headers.add(FakeResponse.header("Transfer-Encoding", "chunked"));
        channel.head(200, headers, settings.clock.instant(), close, true);
        int written = 0;
        for (Iterator<byte[]> frames = stream.plan().frames(fault); frames.hasNext(); written++) {
            byte[] frame = frames.next();
            if (written == fault.cutAfterFrames) {
                if (fault.cutInsideFrame) {
                    channel.chunk(Arrays.copyOf(frame, frame.length / 2));
                }
                channel.abort(fault.reset);
                return;
            }
            if (written == fault.exceptionAfterFrames) {
                channel.chunk(EventFrames.exception(fault.exceptionType, fault.exceptionMessage));
                break;
            }
            if (written > 0 && fault.frameDelayMs > 0) {
                RequestDispatcher.sleep(fault.frameDelayMs);
            }
            if (written == 0 && fault.firstFrameDelayMs > 0) {
                RequestDispatcher.sleep(fault.firstFrameDelayMs);
            }
            channel.chunk(frame);
        }
        if (written == fault.cutAfterFrames) {
            channel.abort(fault.reset);
            return;
        }
        channel.endChunks();
    }

    private List<Map.Entry<String, String>> withCommon(List<Map.Entry<String, String>> headers) {
        List<Map.Entry<String, String>> all = new ArrayList<>(headers.size() + 4);
        all.add(FakeResponse.header("x-amzn-RequestId", request.requestId()));
        all.addAll(headers);
        return all;
    }
}
