package io.bedrockgateway.errors;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads and drops a refused request's body, then sends the refusal. The container calls it one event at a time,
 * on container threads; the refusal is small, so writing it there with the blocking stream is fine.
 */
final class DrainThenRefuse implements ReadListener {
    private static final Logger LOG = Logger.getLogger(DrainThenRefuse.class.getName());

    private final AsyncContext async;
    private final ServletInputStream clientInput;
    private final HttpServletResponse clientResponse;
    private final GatewayException refusal;
    private final String requestId;
    private final byte[] buffer = new byte[8192];
    private long drained;
    private boolean done;

    DrainThenRefuse(AsyncContext async, ServletInputStream clientInput, HttpServletResponse clientResponse,
                    GatewayException refusal, String requestId) {
        this.async = async;
        this.clientInput = clientInput;
        this.clientResponse = clientResponse;
        this.refusal = refusal;
        this.requestId = requestId;
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!done && clientInput.isReady()) {
            int read = clientInput.read(buffer);
            if (read < 0) {
                refuse();
                return;
            }
            drained += read;
            if (drained > AwsErrorWriter.MAX_DRAIN_BYTES) {
                refuse(); // enough: a client that keeps sending gets its answer now
                return;
            }
        }
    }

    @Override
    public void onAllDataRead() throws IOException {
        refuse();
    }

    @Override
    public void onError(Throwable t) {
        LOG.log(Level.FINE, "client went away before its refusal", t);
        done = true;
        async.complete();
    }

    private void refuse() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            AwsErrorWriter.write(clientResponse, refusal, requestId);
        } finally {
            async.complete();
        }
    }
}
