package io.github.s3ite.server.storage;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
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
        StringBuilder text = new StringBuilder(35);
        pad(text, time.getYear(), 4).append('-');
        pad(text, time.getMonthValue(), 2).append('-');
        pad(text, time.getDayOfMonth(), 2).append(' ');
        pad(text, time.getHour(), 2).append(':');
        pad(text, time.getMinute(), 2).append(':');
        pad(text, time.getSecond(), 2).append('.');
        int nanos = time.getNano();
        int digits = 9;
        while (digits > 1 && nanos % 10 == 0) {
            nanos /= 10;
            digits--;
        }
        return pad(text, nanos, digits).append("+00:00").toString();
    }

    private static StringBuilder pad(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(digits);
    }

    static Instant parse(String text) {
        Instant written = parseAsWritten(text);
        if (written != null) {
            return written;
        }
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

    /**
     * The text as {@link #format} writes it ({@code 2024-01-02 03:04:05.123+00:00}), read without
     * a pattern, as every read of an object needs; null for any other form, which the pattern reads.
     */
    private static Instant parseAsWritten(String text) {
        int length = text.length();
        int end = length - 6;
        if (length < 22 || length > 35 || !text.startsWith("+00:00", end) || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != ' ' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(19) != '.') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fraction = end - 20;
        int nanos = fraction >= 1 && fraction <= 9 ? digits(text, 20, end) : -1;
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || nanos < 0) {
            return null;
        }
        for (int i = fraction; i < 9; i++) {
            nanos *= 10;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number in {@code text[from, to)}, or -1 unless it is all ASCII digits. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static ZoneOffset offset(String suffix) {
        if (suffix == null || suffix.equals("Z") || suffix.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        String normalized = suffix.length() == 5 ? suffix.substring(0, 3) + ":" + suffix.substring(3) : suffix;
        return ZoneOffset.of(normalized);
    }
}
