package io.rocketmqdoctor.histo;

import org.HdrHistogram.Histogram;

/** Percentiles of one histogram at one moment, in nanoseconds. */
public final class Stats {
    public static final Stats EMPTY = new Stats(0, 0, 0, 0, 0, 0, 0);

    public final long count;
    public final double mean;
    public final long p50;
    public final long p90;
    public final long p99;
    public final long p999;
    public final long max;

    private Stats(long count, double mean, long p50, long p90, long p99, long p999, long max) {
        this.count = count;
        this.mean = mean;
        this.p50 = p50;
        this.p90 = p90;
        this.p99 = p99;
        this.p999 = p999;
        this.max = max;
    }

    static Stats of(Histogram h) {
        long n = h.getTotalCount();
        if (n == 0) return EMPTY;
        return new Stats(n, h.getMean(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
    }

    public static double ms(double nanos) { return nanos / 1e6; }
}
