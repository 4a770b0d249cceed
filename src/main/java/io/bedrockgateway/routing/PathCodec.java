package io.bedrockgateway.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Percent-encoding of path segments the way AWS does for SigV4 services: only RFC 3986 unreserved characters
 * ({@code A-Z a-z 0-9 - _ . ~}) stay literal. Stateless and thread-safe.
 */
public final class PathCodec {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathCodec() {
    }

    /** Encodes one path segment; a {@code /} inside it becomes {@code %2F}. */
    public static String encodeSegment(String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = null;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (isUnreserved(b)) {
                if (out != null) {
                    out.append((char) b);
                }
            } else {
                if (out == null) {
                    out = new StringBuilder(bytes.length + 16);
                    out.append(segment, 0, i); // bytes before i are ASCII unreserved, so index-aligned
                }
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out == null ? segment : out.toString();
    }

    /**
     * Splits a raw (still percent-encoded) path into decoded segments. A leading slash is dropped; a trailing
     * slash yields a final empty segment.
     *
     * @throws IllegalArgumentException on a malformed percent escape
     */
    public static List<String> decodeSegments(String rawPath) {
        List<String> segments = new ArrayList<>(8);
        int start = rawPath.startsWith("/") ? 1 : 0;
        if (start >= rawPath.length()) {
            return segments;
        }
        while (true) {
            int slash = rawPath.indexOf('/', start);
            if (slash < 0) {
                segments.add(decode(rawPath.substring(start)));
                return segments;
            }
            segments.add(decode(rawPath.substring(start, slash)));
            start = slash + 1;
        }
    }

    /** Decodes {@code %XX} escapes as UTF-8; {@code +} stays a plus sign, as it does in a path. */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new IllegalArgumentException("malformed percent escape in path");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("malformed percent escape in path");
                }
                bytes.write((hi << 4) | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                int codePoint = raw.codePointAt(i);
                byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '-' || b == '_' || b == '.' || b == '~';
    }
}
