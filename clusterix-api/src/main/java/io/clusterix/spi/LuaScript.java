package io.clusterix.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The clusterix Lua script, read once from {@code clusterix.lua} beside this class, and its SHA-1 for EVALSHA.
 */
final class LuaScript {
    /** The script text. */
    static final String TEXT = load();
    /** Lower-case hex SHA-1 of {@link #TEXT}, as Redis computes it for EVALSHA. */
    static final String SHA1 = sha1(TEXT);

    private LuaScript() {
    }

    private static String load() {
        try (InputStream in = LuaScript.class.getResourceAsStream("clusterix.lua")) {
            if (in == null) {
                throw new IllegalStateException("clusterix.lua is missing from clusterix-api's jar: the jar is damaged;"
                        + " rebuild it or fetch it again");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read clusterix.lua from clusterix-api's jar", e);
        }
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }
}
