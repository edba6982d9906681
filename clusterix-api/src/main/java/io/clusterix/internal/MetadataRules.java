package io.clusterix.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a member's metadata may be: string keys and values, at most {@value #MAX_BYTES} bytes in all (UTF-8, keys and
 * values counted), keys non-empty. Every member holds every other member's metadata, so it is for small routing facts
 * (host, port, zone, role), not for payloads.
 */
public final class MetadataRules {
    /** Most bytes of one member's metadata, keys and values in UTF-8. */
    public static final int MAX_BYTES = 4096;

    private MetadataRules() {
    }

    /**
     * @param metadata the metadata to check
     * @param where    where it came from, for the message: {@code "Option 'metadata'"} or
     *                 {@code "updateMetadata()"}
     * @return an unmodifiable copy, by key
     * @throws IllegalArgumentException naming the key and the size that are not acceptable
     */
    public static Map<String, String> check(Map<String, String> metadata, String where) {
        if (metadata == null) {
            throw new IllegalArgumentException(where + " must not be null; pass Map.of() for no metadata.");
        }
        Map<String, String> sorted = new TreeMap<>();
        int bytes = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (key == null || key.isEmpty() || value == null) {
                throw new IllegalArgumentException(where + ": metadata key " + (key == null ? "null" : "'" + key + "'")
                        + (value == null ? " has a null value" : " is empty") + "; keys must be non-empty strings and"
                        + " values strings.");
            }
            int size = key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
            bytes += size;
            if (bytes > MAX_BYTES) {
                throw new IllegalArgumentException(where + ": metadata key '" + abbreviate(key) + "' with its value ("
                        + size + " bytes) brings the metadata to " + bytes + " bytes; a member's metadata may hold at"
                        + " most " + MAX_BYTES + " bytes in all (UTF-8 keys and values): every member keeps every"
                        + " member's metadata, so keep it to routing facts.");
            }
            sorted.put(key, value);
        }
        return java.util.Collections.unmodifiableMap(sorted);
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
