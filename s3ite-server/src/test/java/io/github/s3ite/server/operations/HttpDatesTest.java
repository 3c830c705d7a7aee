package io.github.s3ite.server.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HttpDatesTest {
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @Test
    void formatsAsTheRfc1123PatternDoes() {
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextInt(2_000_000_000) + 100_000_000L, random.nextInt(1_000_000_000));
            assertEquals(RFC_1123.format(instant), HttpDates.format(instant));
        }
        assertEquals("Tue, 03 Jun 2008 11:05:30 GMT", HttpDates.format(Instant.parse("2008-06-03T11:05:30.999Z")));
        assertEquals(RFC_1123.format(Instant.parse("0999-12-31T23:59:59Z")), HttpDates.format(Instant.parse("0999-12-31T23:59:59Z")));
    }

    @Test
    void formatsEveryDayOfFourHundredYearsAndTheEdgesOfFourDigitYears() {
        Instant first = Instant.parse("1799-12-25T00:00:00Z");
        for (int day = 0; day < 146_097 + 20; day++) {
            Instant instant = first.plusSeconds(day * 86_400L + (day * 7_919L) % 86_400);
            assertEquals(RFC_1123.format(instant), HttpDates.format(instant));
        }
        for (String edge : new String[] {"1000-01-01T00:00:00Z", "1000-03-01T00:00:00Z", "1600-02-29T12:00:00Z",
            "1900-02-28T23:59:59Z", "1900-03-01T00:00:00Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
            "2000-02-29T00:00:00Z", "2100-03-01T00:00:00Z", "9999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"}) {
            assertEquals(RFC_1123.format(Instant.parse(edge)), HttpDates.format(Instant.parse(edge)), edge);
        }
    }
}
