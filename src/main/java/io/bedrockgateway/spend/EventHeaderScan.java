package io.bedrockgateway.spend;

import java.nio.ByteBuffer;

/**
 * Reads the string headers of one event-stream frame in place, without decoding the frame: no CRC check, no header
 * map, no payload copy. It lets a usage tap drop the frames it does not read (every text delta of a stream) at the
 * cost of a few byte comparisons, and decode only the one it does.
 *
 * <p>Header layout (AWS event stream): 1-byte name length, name, 1-byte value type, value; a string (type 7) or byte
 * array (type 6) value has a 2-byte big-endian length. Fixed-size types are skipped by their size.
 *
 * <p>Stateless; thread-safe. The frame buffer is only read, at absolute positions.
 */
final class EventHeaderScan {
    private static final int PRELUDE_BYTES = 12;
    private static final int TYPE_BYTE_ARRAY = 6;
    private static final int TYPE_STRING = 7;
    private static final byte[] MESSAGE_TYPE = Bytes.ascii(":message-type");
    private static final byte[] EVENT_TYPE = Bytes.ascii(":event-type");
    private static final byte[] EVENT = Bytes.ascii("event");

    private EventHeaderScan() {
    }

    /**
     * Whether the frame is an {@code event} message (not an exception or error) whose {@code :event-type} is
     * {@code eventType}. A frame whose headers cannot be read answers {@code false}.
     *
     * @param frame    one whole frame, from its position to its limit
     * @param eventType the ASCII bytes of the wanted event type
     */
    static boolean isEvent(ByteBuffer frame, byte[] eventType) {
        int start = frame.position();
        int end = frame.limit();
        if (end - start < PRELUDE_BYTES) {
            return false;
        }
        int headersLength = frame.getInt(start + 4);
        int at = start + PRELUDE_BYTES;
        int headersEnd = at + headersLength;
        if (headersLength < 0 || headersEnd > end) {
            return false;
        }
        boolean isEvent = false;
        boolean typeMatches = false;
        while (at < headersEnd) {
            int nameLength = frame.get(at) & 0xff;
            int nameAt = at + 1;
            int typeAt = nameAt + nameLength;
            if (typeAt >= headersEnd) {
                return false;
            }
            int type = frame.get(typeAt);
            int valueAt = typeAt + 1;
            int valueLength = valueLength(frame, type, valueAt, headersEnd);
            if (valueLength < 0) {
                return false;
            }
            if (type == TYPE_STRING) {
                int textAt = valueAt + 2;
                int textLength = valueLength - 2;
                if (equalsAt(frame, nameAt, nameLength, MESSAGE_TYPE)) {
                    isEvent = equalsAt(frame, textAt, textLength, EVENT);
                } else if (equalsAt(frame, nameAt, nameLength, EVENT_TYPE)) {
                    typeMatches = equalsAt(frame, textAt, textLength, eventType);
                }
            }
            at = valueAt + valueLength;
        }
        return isEvent && typeMatches;
    }

    /** Bytes the value occupies (length prefix included), or -1 when it is unknown or runs past the headers. */
    private static int valueLength(ByteBuffer frame, int type, int valueAt, int headersEnd) {
        int length = switch (type) {
            case 0, 1 -> 0;
            case 2 -> 1;
            case 3 -> 2;
            case 4 -> 4;
            case 5, 8 -> 8;
            case 9 -> 16;
            case TYPE_BYTE_ARRAY, TYPE_STRING -> valueAt + 2 <= headersEnd
                    ? 2 + (frame.getShort(valueAt) & 0xffff) : -1;
            default -> -1;
        };
        return length < 0 || valueAt + length > headersEnd ? -1 : length;
    }

    private static boolean equalsAt(ByteBuffer frame, int at, int length, byte[] expected) {
        if (length != expected.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (frame.get(at + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
