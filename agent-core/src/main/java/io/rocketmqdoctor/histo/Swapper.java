package io.rocketmqdoctor.histo;

import io.rocketmqdoctor.base.Output;
import org.HdrHistogram.Histogram;

import java.util.List;

/** Swaps every recorder and appends the intervals to histograms.hlog. Driven by the agent's one thread. */
public final class Swapper {
    private final IntervalLog log;
    private long lastSwap;

    public Swapper(Output output, long startMillis) {
        this.log = new IntervalLog(output, startMillis);
        this.lastSwap = startMillis;
    }

    public synchronized void swapAll() {
        long now = System.currentTimeMillis();
        for (LatencyRecorder r : Histograms.all()) {
            Histogram interval = r.swap();
            log.write(interval, r.key(), lastSwap, now);
        }
        lastSwap = now;
    }

    /** True when anything was ever recorded into a recorder whose name does not start with {@code skipPrefix} (null: none skipped). */
    public static boolean anyRecorded(List<LatencyRecorder> recorders, String skipPrefix) {
        for (LatencyRecorder r : recorders) {
            if (r.total().count > 0 && (skipPrefix == null || !r.name().startsWith(skipPrefix))) return true;
        }
        return false;
    }

    public synchronized void close() {
        log.close();
    }
}
