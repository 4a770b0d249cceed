package io.bedrockgateway.spend;

import java.nio.charset.StandardCharsets;

/** Byte-level searches that let taps skip JSON they have no use for. Stateless and thread-safe. */
final class Bytes {
    private Bytes() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code needle} occurs in {@code haystack[0, length)}. */
    static boolean contains(byte[] haystack, int length, byte[] needle) {
        return indexOf(haystack, 0, length, needle) >= 0;
    }

    /** The first index of {@code needle} in {@code haystack[from, to)}, or -1. */
    static int indexOf(byte[] haystack, int from, int to, byte[] needle) {
        byte first = needle[0];
        for (int i = from, last = to - needle.length; i <= last; i++) {
            if (haystack[i] == first && regionMatches(haystack, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    /** The last index of {@code needle} in {@code haystack[0, to)}, or -1. */
    static int lastIndexOf(byte[] haystack, int to, byte[] needle) {
        for (int i = to - needle.length; i >= 0; i--) {
            if (haystack[i] == needle[0] && regionMatches(haystack, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean regionMatches(byte[] haystack, int offset, byte[] needle) {
        for (int j = 1; j < needle.length; j++) {
            if (haystack[offset + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
