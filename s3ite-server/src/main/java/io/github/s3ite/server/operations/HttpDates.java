package io.github.s3ite.server.operations;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** HTTP dates (RFC 1123) as S3 writes them in Last-Modified and reads them in If-Modified-Since. */
final class HttpDates {
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    /**
     * {@code Tue, 03 Jun 2008 11:05:30 GMT}; written by hand, as every GetObject and HeadObject needs
     * one: the date from the day number with the civil calendar's arithmetic (eras of 400 years,
     * years from March), which costs less than building a {@code LocalDateTime}.
     */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        long shifted = days + 719_468; // days since 0000-03-01
        long era = Math.floorDiv(shifted, 146_097);
        int dayOfEra = (int) (shifted - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        long year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);
        if (year < 1000 || year > 9999) {
            return RFC_1123.format(instant);
        }
        StringBuilder text = new StringBuilder(29);
        text.append(DAYS[(int) Math.floorMod(days + 3, 7)]).append(", "); // 1970-01-01 was a Thursday
        two(text, day).append(' ').append(MONTHS[month - 1]).append(' ').append(year).append(' ');
        two(text, secondOfDay / 3_600).append(':');
        two(text, secondOfDay / 60 % 60).append(':');
        return two(text, secondOfDay % 60).append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** Parses an RFC 1123 date (or ISO 8601, which some clients send); null when unparsable, as S3 then ignores the header. */
    static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    /** HTTP dates have whole seconds: comparisons with them drop the fraction. */
    static Instant toSeconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }
}
