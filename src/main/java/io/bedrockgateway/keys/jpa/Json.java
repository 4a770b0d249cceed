package io.bedrockgateway.keys.jpa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON text columns ({@code models}, {@code metadata}). Stateless and thread-safe. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<ArrayList<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static List<String> readStrings(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        List<String> list = read(json, STRINGS);
        list.removeIf(v -> v == null);
        return list;
    }

    /** A JSON object; top-level nulls are dropped, since {@code VirtualKey} holds an immutable map. */
    static Map<String, Object> readObject(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        Map<String, Object> map = read(json, OBJECT);
        map.values().removeIf(v -> v == null);
        return map;
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is malformed: " + e.getOriginalMessage(), e);
        }
    }
}
