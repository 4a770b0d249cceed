package io.bedrockgateway.it;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tests every servlet container the WAR is deployed to must pass, through the real AWS SDK: a subclass starts
 * the container and says where the gateway is ({@link #gateway()}). Not thread-safe: JUnit runs them one at a time.
 */
abstract class DeployedGatewayTests {

    /** The deployed gateway; called by each test, after the subclass's {@code @BeforeAll}. */
    abstract DeployedGateway gateway() throws Exception;

    @Test
    void sdkConverseIsReSignedForTheUpstream() throws Exception {
        gateway().converseIsReSignedForTheUpstream();
    }

    /** The container relays the event stream frame by frame; the SDK parses every frame. */
    @Test
    void sdkConverseStreamArrivesWhole() throws Exception {
        gateway().converseStreamArrivesWhole();
    }

    @Test
    void anUnknownKeyGetsAnAwsShapedRefusal() throws Exception {
        gateway().unknownKeyIsRefused();
    }

    @Test
    void healthAnswers() throws Exception {
        gateway().healthAnswers();
    }

    /** What the container's h2c does with a client's {@code GOAWAY} while that client's streams are open. */
    enum ClientGoaway {
        /** The open streams run to their end, as RFC 9113 §6.8 means. */
        STREAMS_FINISH,
        /** The container ends them (documented in tomcat-conf/README.md, with the client-side way round it). */
        STREAMS_CUT,
        /** The container serves no h2c here. */
        NO_H2C
    }

    /** How this container behaves; most let the streams finish. */
    ClientGoaway clientGoaway() {
        return ClientGoaway.STREAMS_FINISH;
    }

    /**
     * The AWS SDK for JavaScript v3 sends {@code GOAWAY} on each event-stream call's own h2c connection as soon as the
     * response head arrives; the stream must still arrive whole. Where a container is known to cut it, the test
     * holds that down, so that a container that changes is noticed and its documentation updated.
     */
    @Test
    void javaScriptSdkStreamsOverH2c() throws Exception {
        assumeTrue(clientGoaway() != ClientGoaway.NO_H2C, "this container serves no h2c");
        DeployedGateway gateway = gateway();
        DeployedGateway.JsStreams streams = DeployedGateway.javaScriptSdkStreams(gateway.uri("bedrock"),
                DeployedGateway.MASTER_KEY, gateway.fake(), 5);
        if (clientGoaway() == ClientGoaway.STREAMS_FINISH) {
            assertEquals(5, streams.whole(), streams.toString());
        } else {
            assertTrue(streams.whole() < 5, "the container no longer cuts them; update tomcat-conf/README.md: "
                    + streams);
        }
    }
}
