package io.clusterix.spi;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metadata as one string for the script, which stores it and never reads it: each entry, by key, as
 * {@code <key length>:<key><value length>:<value>} (lengths in UTF-16 chars). Length prefixes need no escaping: keys
 * and values may hold any character.
 */
final class MetadataCodec {
    private MetadataCodec() {
    }

    static String encode(Map<String, String> metadata) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(metadata).forEach((key, value) -> out.append(key.length()).append(':').append(key)
                .append(value.length()).append(':').append(value));
        return out.toString();
    }

    static Map<String, String> decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return Map.of();
        }
        Map<String, String> metadata = new TreeMap<>();
        int[] at = {0};
        while (at[0] < encoded.length()) {
            String key = next(encoded, at);
            metadata.put(key, next(encoded, at));
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static String next(String encoded, int[] at) {
        int colon = encoded.indexOf(':', at[0]);
        if (colon < 0) {
            throw new IllegalArgumentException("damaged clusterix metadata: " + encoded);
        }
        int length = Integer.parseInt(encoded.substring(at[0], colon));
        String value = encoded.substring(colon + 1, colon + 1 + length);
        at[0] = colon + 1 + length;
        return value;
    }
}
