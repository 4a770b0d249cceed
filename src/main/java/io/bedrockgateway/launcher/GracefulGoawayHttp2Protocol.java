package io.bedrockgateway.launcher;

import org.apache.coyote.Adapter;
import org.apache.coyote.Request;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.coyote.http2.Http2AsyncUpgradeHandler;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tomcat's HTTP/2 (h2c) with one change: a client's graceful {@code GOAWAY} no longer closes the connection under the
 * streams it still has open.
 *
 * <p>Tomcat (10.1 and 11 alike) answers any {@code GOAWAY} from a client by closing the connection, resetting every
 * open stream. RFC 9113 §6.8 makes a {@code GOAWAY} mean only that the sender will open no new streams; the ones in
 * flight are meant to finish. The AWS SDK for JavaScript v3 relies on that: for every event-stream call (Converse
 * Stream, InvokeModelWithResponseStream) it opens a connection of its own and sends {@code GOAWAY} with
 * {@code NO_ERROR} as soon as the response head arrives. Under stock Tomcat such a stream is cut wherever the
 * {@code GOAWAY} lands: the SDK ends it early without an error, or fails with {@code ERR_HTTP2_STREAM_ERROR}.
 *
 * <p>Here a {@code GOAWAY} with {@code NO_ERROR} is logged and otherwise left alone: the streams run to their end,
 * and the client closes the connection (the JavaScript SDK does once its stream has ended), or the connection's
 * keep-alive timeout does. A {@code GOAWAY} carrying an error code still closes the connection at once. Only the
 * asynchronous-I/O handler (the NIO connector's default) is replaced; a connector without asynchronous I/O keeps
 * Tomcat's own.
 *
 * <p>Thread-safety: as {@link Http2Protocol}; the handler adds no state.
 */
public final class GracefulGoawayHttp2Protocol extends Http2Protocol {
    private static final Logger LOG = Logger.getLogger(GracefulGoawayHttp2Protocol.class.getName());
    private static final long NO_ERROR = 0;

    @Override
    public InternalHttpUpgradeHandler getInternalUpgradeHandler(SocketWrapperBase<?> socketWrapper, Adapter adapter,
                                                                Request coyoteRequest) {
        if (!socketWrapper.hasAsyncIO()) {
            return super.getInternalUpgradeHandler(socketWrapper, adapter, coyoteRequest);
        }
        return new GracefulGoawayHandler(this, adapter, coyoteRequest, socketWrapper);
    }

    /** The connection handler: Tomcat's, except for a client's {@code GOAWAY} without an error. */
    private static final class GracefulGoawayHandler extends Http2AsyncUpgradeHandler {
        GracefulGoawayHandler(Http2Protocol protocol, Adapter adapter, Request coyoteRequest,
                              SocketWrapperBase<?> socketWrapper) {
            super(protocol, adapter, coyoteRequest, socketWrapper);
        }

        @Override
        public void goaway(int lastStreamId, long errorCode, String debugData) {
            if (errorCode != NO_ERROR) {
                super.goaway(lastStreamId, errorCode, debugData);
                return;
            }
            LOG.log(Level.FINE, () -> "h2c connection " + connectionId + ": the client sent GOAWAY (last stream "
                    + lastStreamId + "); its open streams run to their end");
        }
    }
}
