package io.rocketmqdoctor.advices.stall;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.histo.Counters;
import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * jHiccup's method: a thread sleeps {@code resolution} and records how much longer it took, corrected for
 * coordinated omission, into stall.hiccup. Anything that stops the whole JVM (a GC pause, the host not
 * running it: direct reclaim, swap, SIGSTOP) shows here. A stall over the threshold is judged one second
 * later, once the GC notifications for it have arrived: GC if pauses cover half of it or more.
 */
final class HiccupMeter extends Thread {
    /** A stall waiting for its GC notifications. */
    private static final class Stall {
        final long startMillis;
        final long endMillis;
        final Map<String, Long> vmBefore;
        final Map<String, Long> vmAfter;

        Stall(long startMillis, long endMillis, Map<String, Long> vmBefore, Map<String, Long> vmAfter) {
            this.startMillis = startMillis;
            this.endMillis = endMillis;
            this.vmBefore = vmBefore;
            this.vmAfter = vmAfter;
        }
    }

    private final long resolutionMillis;
    private final long thresholdMillis;
    private final String vmstat;
    /** Stalls that start before this (epoch ms) are recorded, not judged: stall.grace. */
    private final long judgeFromMillis;
    private volatile boolean stopped;

    HiccupMeter(long resolutionMillis, long thresholdMillis, String vmstat, long judgeFromMillis) {
        super("rocketmq-doctor-hiccup");
        setDaemon(true);
        this.resolutionMillis = resolutionMillis;
        this.thresholdMillis = thresholdMillis;
        this.vmstat = vmstat;
        this.judgeFromMillis = judgeFromMillis;
    }

    void shutdown() {
        stopped = true;
        interrupt();
    }

    @Override
    public void run() {
        LatencyRecorder hiccups = Histograms.get(StallFeature.HICCUP_HISTOGRAM);
        long resolutionNanos = resolutionMillis * 1_000_000L;
        Map<String, Long> vm = VmStat.read(vmstat);
        long vmReadAt = System.currentTimeMillis();
        List<Stall> pending = new ArrayList<Stall>();
        while (!stopped) {
            long t0 = System.nanoTime();
            try {
                Thread.sleep(resolutionMillis);
            } catch (InterruptedException e) {
                return;
            }
            long hiccup = System.nanoTime() - t0 - resolutionNanos;
            hiccups.recordCorrected(hiccup, resolutionNanos);
            long now = System.currentTimeMillis();
            if (hiccup >= thresholdMillis * 1_000_000L && now - hiccup / 1_000_000L >= judgeFromMillis) {
                pending.add(new Stall(now - hiccup / 1_000_000L, now, vm, VmStat.read(vmstat)));
            }
            for (Iterator<Stall> it = pending.iterator(); it.hasNext(); ) {
                Stall s = it.next();
                if (now - s.endMillis < 1000) continue;
                it.remove();
                judge(s);
            }
            // Read often enough that the reading before a stall is at most a second old.
            if (now - vmReadAt >= 1000) {
                vm = VmStat.read(vmstat);
                vmReadAt = now;
            }
        }
    }

    private void judge(Stall s) {
        long stallMillis = s.endMillis - s.startMillis;
        List<GcPauses.Pause> pauses = GcPauses.overlapping(s.startMillis, s.endMillis, 50);
        long gcMillis = GcPauses.coveredMillis(pauses, s.startMillis - 50, s.endMillis + 50);
        boolean gc = gcMillis * 2 >= stallMillis;
        Counters.get(StallFeature.STALLS, "JVM-wide stalls over stall.threshold.ms", "kind", gc ? "gc" : "non-gc").increment();
        Map<String, Long> reclaim = VmStat.delta(s.vmBefore, s.vmAfter);
        Finding f;
        if (gc) {
            f = Finding.of("stall", StallFeature.GC_PAUSE, Severity.WARN, "gc",
                    "the JVM stopped for " + stallMillis + " ms in GC: " + GcPauses.describe(pauses),
                    "size the heap and tune the collector (GC log around the time); a broker's sends wait for it");
        } else {
            f = Finding.of("stall", StallFeature.NON_GC_PAUSE, Severity.WARN, "non-gc",
                    "the whole JVM stopped for " + stallMillis + " ms and no GC pause explains it (GC in the window: "
                            + gcMillis + " ms): the process was not run, by the host (memory direct reclaim, swap, CPU"
                            + " starvation) or a SIGSTOP" + (reclaim == null ? "; /proc/vmstat not readable"
                            : "; direct reclaim during it: allocstall +" + reclaim.get("allocstall") + ", pgscan_direct +"
                            + reclaim.get("pgscan_direct")),
                    "check the host: vm.min_free_kbytes, zone_reclaim_mode=0, swappiness (finding os.memory-settings),"
                            + " sar -B (pgscand/s), dmesg for 'blocked for more than 120 seconds'");
        }
        f.with("stallMs", stallMillis).with("gcMs", gcMillis).with("wasGc", gc)
                .with("startEpochMs", s.startMillis).with("endEpochMs", s.endMillis)
                .with("gcPauses", GcPauses.describe(pauses));
        if (reclaim != null) f.with("directReclaim", reclaim);
        Findings.report(f);
    }
}
