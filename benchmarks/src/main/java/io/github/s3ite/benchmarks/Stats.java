package io.github.s3ite.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** Median and 90th percentile of a set of durations in milliseconds. */
record Stats(double median, double p90, int count) {

    static Stats of(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Stats(percentile(sorted, 50), percentile(sorted, 90), sorted.length);
    }

    private static double percentile(double[] sorted, int percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "median %.1f ms, p90 %.1f ms (n=%d)", median, p90, count);
    }
}
