package io.rocketmqdoctor.histo;

import org.HdrHistogram.Histogram;

/**
 * A recorder's cumulative counts in a fixed, log-spaced bucket layout, for Prometheus histograms: taken
 * from the HdrHistogram since start (as of the last interval) when a page is rendered, so that the recording path is
 * unchanged.
 * Cumulative per bucket ("le"), as Prometheus expects, so that histogram_quantile over rate() of many JVMs works.
 * A bucket's count includes values HdrHistogram holds in the bucket's last sub-bucket: within its 1% precision.
 */
public final class Buckets {
    /** Latency bucket bounds in seconds: 100 us to 60 s, 1-2.5-5 per decade (18 bounds, and +Inf). */
    public static final double[] LATENCY_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** Size bucket bounds in bytes: 1 KB to 10 GB, one per decade (8 bounds, and +Inf). */
    public static final double[] SIZE_BYTES = {1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10};

    /** Counts of values at or below each bound, in the order of the bounds. */
    public final long[] cumulative;
    public final long count;
    /** Sum of the values in the recorder's unit (nanoseconds or bytes), from the mean: within 1%. */
    public final double sum;

    private Buckets(long[] cumulative, long count, double sum) {
        this.cumulative = cumulative;
        this.count = count;
        this.sum = sum;
    }

    /** The bounds for a recorder (seconds for latency, bytes for sizes). */
    public static double[] bounds(boolean bytes) {
        return bytes ? SIZE_BYTES : LATENCY_SECONDS;
    }

    static Buckets of(Histogram h, boolean bytes) {
        double[] bounds = bounds(bytes);
        double unit = bytes ? 1 : 1e9;
        long[] c = new long[bounds.length];
        long n = h.getTotalCount();
        if (n > 0) {
            for (int i = 0; i < bounds.length; i++) {
                long le = (long) (bounds[i] * unit);
                c[i] = le >= h.getMaxValue() ? n : h.getCountBetweenValues(0, le);
            }
        }
        return new Buckets(c, n, n == 0 ? 0 : h.getMean() * n);
    }
}
