package io.github.s3ite.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BucketNamesTest {
    /** S3's rules as patterns, the way they read in S3's documentation. */
    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private static boolean byPatterns(String name) {
        return ALLOWED.matcher(name).matches() && !name.contains("..") && !name.contains(".-") && !name.contains("-.")
                && !IP_ADDRESS.matcher(name).matches() && !name.startsWith("xn--") && !name.startsWith("sthree-")
                && !name.endsWith("-s3alias") && !name.endsWith("--ol-s3") && !name.endsWith(".mrap")
                && !name.endsWith("--x-s3");
    }

    @Test
    void judgesNamesAsTheRulesPatternsDo() {
        Random random = new Random(5);
        String alphabet = "ab9.-0A_/ %";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(70);
            for (int c = 0; c < length; c++) {
                name.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : (char) ('0' + random.nextInt(3)));
            }
            assertEquals(byPatterns(name.toString()), BucketNames.isValid(name.toString()), name.toString());
        }
        for (String name : List.of("abc", "a-b.c", "192.168.1.1", "1.2.3.4", "1234.1.1.1", "1.2.3", "1.2.3.4.5", "a".repeat(63),
                "a".repeat(64), "ab", "a..b", "a.-b", "-ab", "ab-", "1.2.3.a")) {
            assertEquals(byPatterns(name), BucketNames.isValid(name), name);
        }
        assertTrue(BucketNames.isValid("my-bucket.photos"));
        assertFalse(BucketNames.isValid("192.168.1.1"));
        assertFalse(BucketNames.isValid(null));
    }
}
