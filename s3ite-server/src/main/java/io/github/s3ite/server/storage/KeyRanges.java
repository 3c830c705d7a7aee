package io.github.s3ite.server.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key ranges in SQLite's BINARY order, which for UTF-8 text is code point order (and not Java's
 * UTF-16 {@code String.compareTo}). A prefix {@code p} is the range {@code [p, successor(p))}.
 */
final class KeyRanges {
    private static final int MAX_CODE_POINT = Character.MAX_CODE_POINT;

    private KeyRanges() {
    }

    /**
     * The smallest string greater than every string that starts with {@code prefix}: the prefix with
     * its last code point incremented (dropping trailing U+10FFFF); null when there is none.
     */
    static String successor(String prefix) {
        int[] codePoints = prefix.codePoints().toArray();
        int length = codePoints.length;
        while (length > 0 && codePoints[length - 1] == MAX_CODE_POINT) {
            length--;
        }
        if (length == 0) {
            return null;
        }
        int[] result = Arrays.copyOf(codePoints, length);
        int next = result[length - 1] + 1;
        if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
            next = Character.MAX_SURROGATE + 1;
        }
        result[length - 1] = next;
        return new String(result, 0, length);
    }

    /** Compares as SQLite's BINARY collation does for UTF-8 text. */
    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
