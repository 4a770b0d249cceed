package io.bedrockgateway.fake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The URI and query canonicalisation of SigV4 for services other than S3. Stateless and thread-safe.
 */
final class SigV4Encoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SigV4Encoding() {
    }

    /**
     * The canonical URI: dot segments removed, then every character of the path as received that is not
     * unreserved or {@code /} percent-encoded once more, so {@code %3A} on the wire becomes {@code %253A}.
     */
    static String canonicalUri(String rawPath) {
        if (rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(rawPath.length() + 16);
        for (char c : removeDotSegments(rawPath).toCharArray()) {
            if (c == '/' || isUnreserved(c)) {
                out.append(c);
            } else {
                appendEncoded(out, String.valueOf(c).getBytes(c < 0x100 ? StandardCharsets.ISO_8859_1
                        : StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    /** The canonical query string: each name and value decoded, RFC 3986 encoded, sorted by name then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(new String[] {encode(decodeLenient(name)), encode(decodeLenient(value))});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder(rawQuery.length() + 16);
        for (String[] pair : pairs) {
            out.append(out.length() == 0 ? "" : "&").append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /** RFC 3986 encoding of a decoded string's UTF-8 bytes. */
    static String encode(String decoded) {
        StringBuilder out = new StringBuilder(decoded.length() + 8);
        for (byte b : decoded.getBytes(StandardCharsets.UTF_8)) {
            if (isUnreserved((char) (b & 0xff))) {
                out.append((char) b);
            } else {
                appendEncoded(out, new byte[] {b});
            }
        }
        return out.toString();
    }

    private static String decodeLenient(String raw) {
        String decoded = Route.percentDecode(raw);
        return decoded == null ? raw : decoded;
    }

    private static String removeDotSegments(String path) {
        if (!path.contains("/.")) {
            return path;
        }
        Deque<String> kept = new ArrayDeque<>();
        String[] segments = path.substring(1).split("/", -1);
        for (String segment : segments) {
            if (segment.equals("..")) {
                kept.pollLast();
            } else if (!segment.equals(".")) {
                kept.addLast(segment);
            }
        }
        String last = segments[segments.length - 1];
        String joined = "/" + String.join("/", kept);
        return (last.equals(".") || last.equals("..")) && !joined.endsWith("/") ? joined + "/" : joined;
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~';
    }

    private static void appendEncoded(StringBuilder out, byte[] bytes) {
        for (byte b : bytes) {
            out.append('%').append(HEX[b >> 4 & 0xf]).append(HEX[b & 0xf]);
        }
    }
}
