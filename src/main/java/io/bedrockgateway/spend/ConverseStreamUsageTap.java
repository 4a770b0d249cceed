package io.bedrockgateway.spend;

/**
 * Usage of a ConverseStream response: the {@code usage} of its {@code metadata} event, the last event Bedrock sends.
 * Every other event is dropped on its {@code :event-type} header alone. A stream cut before {@code metadata} has no
 * usage to report (Converse streams carry no running counts).
 *
 * <p>Thread-safety: as {@link UsageTap}.
 */
final class ConverseStreamUsageTap extends EventStreamUsageTap {
    private volatile Usage usage = Usage.NONE;

    ConverseStreamUsageTap() {
        super("metadata");
    }

    @Override
    void onEvent(byte[] payload) {
        Usage reported = UsageJson.fromUsageObject(UsageJson.parse(payload, 0, payload.length).get("usage"));
        if (reported != null) {
            usage = reported;
        }
    }

    @Override
    public Usage usage() {
        return usage;
    }
}
