package io.github.s3ite.server.storage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code last_modified} text of the original s3ite: {@code YYYY-MM-DD HH:MM:SS.f+00:00}, UTC,
 * 1 to 9 fraction digits without trailing zeros. Its earliest builds wrote a {@code Z} suffix.
 */
final class Timestamps {
    private static final Pattern FORMAT = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d{1,9}))?\\s*(Z|[+-]\\d{2}:?\\d{2}|UTC)?");

    private Timestamps() {
    }

    static String format(Instant instant) {
        var time = instant.atOffset(ZoneOffset.UTC);
        String fraction = String.format("%09d", time.getNano()).replaceFirst("0+$", "");
        return String.format("%04d-%02d-%02d %02d:%02d:%02d.%s+00:00", time.getYear(), time.getMonthValue(),
                time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond(),
                fraction.isEmpty() ? "0" : fraction);
    }

    static Instant parse(String text) {
        Matcher matcher = FORMAT.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a last_modified timestamp: " + text);
        }
        try {
            String fraction = matcher.group(3) == null ? "0" : matcher.group(3);
            int nanos = Integer.parseInt((fraction + "00000000").substring(0, 9));
            ZoneOffset offset = offset(matcher.group(4));
            return LocalDate.parse(matcher.group(1)).atTime(LocalTime.parse(matcher.group(2)))
                    .withNano(nanos).toInstant(offset);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not a last_modified timestamp: " + text, e);
        }
    }

    private static ZoneOffset offset(String suffix) {
        if (suffix == null || suffix.equals("Z") || suffix.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        String normalized = suffix.length() == 5 ? suffix.substring(0, 3) + ":" + suffix.substring(3) : suffix;
        return ZoneOffset.of(normalized);
    }
}
