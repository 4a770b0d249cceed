package io.bedrockgateway.keys;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyHashingTest {

    @Test
    void sha256HexIsLowerCaseHexOfUtf8() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", KeyHashing.sha256Hex("abc"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", KeyHashing.sha256Hex(""));
        assertEquals(KeyHashing.sha256Hex("sk-\u00e9"), KeyHashing.sha256Hex("sk-é"));
    }

    @Test
    void maskedNameShowsOnlyTheLastFourCharacters() {
        assertEquals("sk-...wxyz", KeyHashing.maskedName("sk-abcdefghijklmnopqrstuvwxyz"));
        assertEquals("sk-...abc", KeyHashing.maskedName("abc"));
    }

    @Test
    void generatedKeysAreLongRandomAndUrlSafe() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String key = KeyHashing.generateKey();
            assertTrue(key.matches("sk-[A-Za-z0-9_-]{43}"), key);
            assertTrue(seen.add(key));
        }
    }

    @Test
    void tokenOfAcceptsKeysAndTokens() {
        String key = KeyHashing.generateKey();
        String token = KeyHashing.sha256Hex(key);
        assertTrue(KeyHashing.isTokenHash(token));
        assertFalse(KeyHashing.isTokenHash(key));
        assertFalse(KeyHashing.isTokenHash(token.toUpperCase()));
        assertFalse(KeyHashing.isTokenHash(null));
        assertEquals(token, KeyHashing.tokenOf(key));
        assertEquals(token, KeyHashing.tokenOf(token));
        assertEquals(KeyHashing.sha256Hex("not-a-token"), KeyHashing.tokenOf("not-a-token"));
    }
}
