package io.github.s3ite.server.storage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bucket's object lock configuration: object lock is enabled (it cannot be disabled again), with
 * a default retention for new versions or none.
 *
 * @param defaultMode the default retention's mode, or null for no default retention
 * @param days        its period in days, or 0
 * @param years       its period in years, or 0 (exactly one of {@code days} and {@code years} is set
 *                    when {@code defaultMode} is)
 */
public record ObjectLockConfiguration(ObjectLock.Mode defaultMode, int days, int years) {
    public static final ObjectLockConfiguration ENABLED = new ObjectLockConfiguration(null, 0, 0);
    private static final Pattern MODE = Pattern.compile("<Mode>(\\w+)</Mode>");
    private static final Pattern DAYS = Pattern.compile("<Days>(\\d+)</Days>");
    private static final Pattern YEARS = Pattern.compile("<Years>(\\d+)</Years>");

    /** The retention a new version gets when its request names none, or {@link ObjectLock#NONE}. */
    ObjectLock defaultLock(Instant now) {
        if (defaultMode == null) {
            return ObjectLock.NONE;
        }
        Instant until = years > 0
                ? now.atOffset(java.time.ZoneOffset.UTC).plusYears(years).toInstant()
                : now.plus(days, ChronoUnit.DAYS);
        return new ObjectLock(defaultMode, until, null);
    }

    /** The document kept in {@code bucket_configuration}, as GetObjectLockConfiguration answers it. */
    String document() {
        StringBuilder xml = new StringBuilder("<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<ObjectLockEnabled>Enabled</ObjectLockEnabled>");
        if (defaultMode != null) {
            xml.append("<Rule><DefaultRetention><Mode>").append(defaultMode.name()).append("</Mode>");
            if (years > 0) {
                xml.append("<Years>").append(years).append("</Years>");
            } else {
                xml.append("<Days>").append(days).append("</Days>");
            }
            xml.append("</DefaultRetention></Rule>");
        }
        return xml.append("</ObjectLockConfiguration>").toString();
    }

    /** Reads back a document written by {@link #document()}; null for none. */
    static ObjectLockConfiguration parse(String document) {
        if (document == null) {
            return null;
        }
        Matcher mode = MODE.matcher(document);
        if (!mode.find()) {
            return ENABLED;
        }
        Matcher days = DAYS.matcher(document);
        Matcher years = YEARS.matcher(document);
        return new ObjectLockConfiguration(ObjectLock.Mode.fromName(mode.group(1)),
                days.find() ? Integer.parseInt(days.group(1)) : 0, years.find() ? Integer.parseInt(years.group(1)) : 0);
    }
}
