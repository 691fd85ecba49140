package io.rocketmqdoctor.histo;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One latency histogram: a fixed-range HdrHistogram {@link Recorder} that the intercepted code records
 * into (nothing allocated), swapped every interval by the agent's one background thread.
 * Values are nanoseconds from 1 us to 1 h at two significant digits; larger values count as 1 h.
 */
public final class LatencyRecorder {
    public static final long LOWEST_NANOS = 1_000L;
    public static final long HIGHEST_NANOS = 3_600_000_000_000L;
    public static final int DIGITS = 2;

    private final String name;
    private final String[] labels;
    private final String key;
    private final Recorder recorder = new Recorder(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);
    private final Histogram cumulative = new Histogram(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);
    private Histogram interval;
    private volatile Stats lastInterval = Stats.EMPTY;
    private volatile Stats total = Stats.EMPTY;
    /** Made from the cumulative histogram when a Prometheus page asks (null: not since the last swap). */
    private Buckets buckets;

    LatencyRecorder(String name, String[] labels, String key) {
        this.name = name;
        this.labels = labels;
        this.key = key;
    }

    public void record(long nanos) {
        recorder.recordValue(nanos < 0 ? 0 : nanos > HIGHEST_NANOS ? HIGHEST_NANOS : nanos);
    }

    /**
     * For a sampler that expects one value every {@code expectedIntervalNanos} (a hiccup meter): a value
     * larger than that also records the samples the stall kept from being taken (coordinated omission).
     */
    public void recordCorrected(long nanos, long expectedIntervalNanos) {
        recorder.recordValueWithExpectedInterval(nanos < 0 ? 0 : nanos > HIGHEST_NANOS ? HIGHEST_NANOS : nanos, expectedIntervalNanos);
    }

    /** Background thread only: takes the interval's values, folds them into the total, returns them. */
    synchronized Histogram swap() {
        interval = recorder.getIntervalHistogram(interval);
        cumulative.add(interval);
        lastInterval = Stats.of(interval);
        total = Stats.of(cumulative);
        buckets = null;
        return interval;
    }

    /** Detach: the next attach starts from zero; the recorder object stays, as features keep it. */
    synchronized void reset() {
        recorder.reset();
        cumulative.reset();
        interval = null;
        lastInterval = Stats.EMPTY;
        total = Stats.EMPTY;
        buckets = null;
    }

    public String name() { return name; }

    /**
     * A recorder named *_bytes holds sizes (e.g. ha.slave_lag_bytes), not nanoseconds: Prometheus shows them in
     * bytes, and the tables that show milliseconds (nanos / 1e6) show these in MB (bytes / 1e6), marked [MB].
     */
    public boolean isBytes() { return name.endsWith("_bytes"); }

    /** Label pairs: key, value, key, value. */
    public String[] labels() { return labels.clone(); }

    /** name;k=v;k=v: the tag in histograms.hlog and the key in summary.txt. */
    public String key() { return key; }

    public Stats lastInterval() { return lastInterval; }

    public Stats total() { return total; }

    /**
     * Cumulative bucket counts since start, as of the last swap (Prometheus histograms). Made on the first scrape
     * after a swap, not at every swap: a JVM without a Prometheus page never pays for them.
     */
    public synchronized Buckets buckets() {
        if (buckets == null) buckets = Buckets.of(cumulative, isBytes());
        return buckets;
    }
}
