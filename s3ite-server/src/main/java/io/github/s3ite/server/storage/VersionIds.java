package io.github.s3ite.server.storage;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Version ids: 32 characters of {@code [0-9A-Za-z]}, URL-safe and opaque. The first ten encode
 * microseconds since the epoch, made strictly increasing within this process, in an alphabet in
 * ASCII order, so that a later version's id sorts after an earlier one's; the rest are random.
 */
public final class VersionIds {
    /** S3's version id of an object written while a bucket was unversioned or suspended. */
    public static final String NULL = "null";
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int TIME_CHARS = 10;
    private static final int LENGTH = 32;
    private static final AtomicLong LAST = new AtomicLong();
    private static final SecureRandom RANDOM = new SecureRandom();

    private VersionIds() {
    }

    static String next() {
        long now = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        long time = LAST.updateAndGet(last -> Math.max(last + 1, now));
        char[] id = new char[LENGTH];
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time % ALPHABET.length)];
            time /= ALPHABET.length;
        }
        for (int i = TIME_CHARS; i < LENGTH; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }

    /** Whether {@code id} could name a version here: {@code null} or one of ours. */
    public static boolean isWellFormed(String id) {
        if (NULL.equals(id)) {
            return true;
        }
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }
}
