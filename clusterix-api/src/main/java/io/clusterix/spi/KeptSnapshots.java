package io.clusterix.spi;

import io.clusterix.Member;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The members of the snapshots the script keeps (its field {@code snapshot}: {@code <bytes>:<id><bytes>:
 * <incarnation><bytes>:<metadata>} per member, byte lengths of UTF-8), decoded once per JVM: the script hands the same
 * kept snapshot to every join and resync until the history moves {@code SNAPSHOT_LAG} changes past it, so a JVM that
 * runs many engines of one cluster (a multi-tenant service, the scale simulator, where 10,000 engines join at 16 a
 * second) would otherwise decode O(N) members per join: 18 million live {@link Member} copies at 6,500 members before
 * this. A lookup compares the encoded string with the few held (O(N) bytes, no allocation); the members are
 * immutable, so engines share them. Thread-safe.
 */
final class KeptSnapshots {
    /** How many distinct kept snapshots are held: a JVM rarely follows more clusters than this at once. */
    private static final int HELD = 8;

    private static final Map<String, Map<String, Member>> DECODED = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Member>> eldest) {
            return size() > HELD;
        }
    };

    private KeptSnapshots() {
    }

    /**
     * @param encoded a kept snapshot's members, as the script sends them
     * @return the members by id, in the snapshot's order; unmodifiable, shared
     * @throws IllegalArgumentException if {@code encoded} is not in that format
     */
    static Map<String, Member> members(String encoded) {
        synchronized (DECODED) {
            Map<String, Member> held = DECODED.get(encoded);
            if (held != null) {
                return held;
            }
        }
        Map<String, Member> decoded = Collections.unmodifiableMap(decode(encoded));
        synchronized (DECODED) {
            DECODED.put(encoded, decoded);
        }
        return decoded;
    }

    private static Map<String, Member> decode(String encoded) {
        byte[] bytes = encoded.getBytes(StandardCharsets.UTF_8);
        Map<String, Member> members = new LinkedHashMap<>();
        int[] at = {0};
        while (at[0] < bytes.length) {
            String id = field(bytes, at);
            long incarnation = Long.parseLong(field(bytes, at));
            members.put(id, new Member(id, incarnation, MetadataCodec.decode(field(bytes, at))));
        }
        return members;
    }

    private static String field(byte[] bytes, int[] at) {
        int colon = at[0];
        while (colon < bytes.length && bytes[colon] != ':') {
            colon++;
        }
        if (colon >= bytes.length) {
            throw new IllegalArgumentException("a field without its length at byte " + at[0]);
        }
        int length = Integer.parseInt(new String(bytes, at[0], colon - at[0], StandardCharsets.US_ASCII));
        if (length < 0 || colon + 1 + length > bytes.length) {
            throw new IllegalArgumentException("a field of " + length + " bytes at byte " + at[0]
                    + " runs past the end");
        }
        at[0] = colon + 1 + length;
        return new String(bytes, colon + 1, length, StandardCharsets.UTF_8);
    }
}
