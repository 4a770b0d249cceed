package io.bedrockgateway.it;

import org.junit.jupiter.api.Test;

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
}
