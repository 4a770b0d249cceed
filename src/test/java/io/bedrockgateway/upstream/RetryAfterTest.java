package io.bedrockgateway.upstream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryAfterTest {
    private static final long NOW = 1_784_000_000_000L;

    @Test
    void secondsAndDatesAreRead() {
        assertEquals(3_000, UpstreamFailures.retryAfterMillis("3", NOW));
        assertEquals(0, UpstreamFailures.retryAfterMillis(" 0 ", NOW));
        long inTen = UpstreamFailures.retryAfterMillis(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.Instant.ofEpochMilli(NOW + 10_000).atZone(java.time.ZoneOffset.UTC)), NOW);
        assertEquals(10_000, inTen);
        assertTrue(UpstreamFailures.retryAfterMillis("99999999999999", NOW) > 0, "huge but positive; capped later");
    }

    @Test
    void junkAndThePastMeanNoHint() {
        assertEquals(0, UpstreamFailures.retryAfterMillis(null, NOW));
        assertEquals(0, UpstreamFailures.retryAfterMillis("soon", NOW));
        assertEquals(0, UpstreamFailures.retryAfterMillis("-5", NOW));
        assertEquals(0, UpstreamFailures.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT", NOW));
    }
}
