package io.rocketmqdoctor.advices.stall;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.TypeInstrumentation;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Switch {@code stall}: incident 3, brokers that stalled for minutes from memory direct reclaim while the GC
 * log looked clean. A hiccup meter and the GC notifications tell a whole-JVM stall apart as GC or not GC.
 * Runs in any JVM the agent is in; instruments nothing.
 */
public final class StallFeature implements Feature {
    public static final String GC_PAUSE = "stall.gc-pause";
    public static final String NON_GC_PAUSE = "stall.non-gc-pause";
    public static final String HICCUP_HISTOGRAM = "stall.hiccup";
    public static final String GC_PAUSE_HISTOGRAM = "stall.gc_pause";
    public static final String STALLS = "stall.stalls";

    @Override
    public String name() { return "stall"; }

    @Override
    public String description() {
        return "whole-JVM stalls (a hiccup meter) told apart as GC pauses or not, with the host's direct-reclaim counters";
    }

    @Override
    public boolean hasFix() { return false; }

    @Override
    public List<ConfigOption> options() {
        return Arrays.asList(
                ConfigOption.integer("stall.threshold.ms", 1000, 1, 3_600_000, "a stall this long or longer is a finding (shorter ones are in "
                        + "stall.hiccup: a loaded host or a young GC stops a healthy JVM for a few hundred ms, which pages nobody)"),
                ConfigOption.integer("stall.resolution.ms", 100, 1, 1000, "the hiccup meter's sleep: a stall is seen up to this much shorter than it was; each wake-up costs CPU"),
                ConfigOption.string("stall.vmstat", "/proc/vmstat", "where the direct-reclaim counters are read"),
                ConfigOption.durationOrZero("stall.grace", "30s", "stalls in this long after the agent activates are measured (stall.hiccup) but not "
                        + "findings: a JVM's start (class loading, JIT, the agent's own weaving at safepoints, many processes starting on "
                        + "one host) stops it for hundreds of ms without anything being wrong"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() { return Collections.emptyList(); }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(GC_PAUSE, Severity.WARN, "the whole JVM stopped for stall.threshold.ms or longer, and GC pauses cover it",
                        "size the heap and tune the collector", "any"),
                FindingCode.of(NON_GC_PAUSE, Severity.WARN, "the whole JVM stopped and no GC explains it: the host did not run it (direct reclaim, swap, CPU) or SIGSTOP (incident 3)",
                        "check the host's memory settings (os.memory-settings), sar -B, dmesg", "any"));
    }

    @Override
    public List<MetricFamily> metrics() {
        return Arrays.asList(
                MetricFamily.of(HICCUP_HISTOGRAM, MetricFamily.Kind.LATENCY, "", "how much longer than stall.resolution.ms the hiccup meter's sleep took"),
                MetricFamily.of(GC_PAUSE_HISTOGRAM, MetricFamily.Kind.LATENCY, "collector", "GC pauses from the JVM's GC notifications"),
                MetricFamily.of(STALLS, MetricFamily.Kind.COUNTER, "kind", "JVM-wide stalls over stall.threshold.ms, gc or non-gc"));
    }

    @Override
    public void start(FeatureContext context) {
        final HiccupMeter[] meter = new HiccupMeter[1];
        // the stop first: if anything below throws, the agent stops what had started
        context.onStop(new Runnable() {
            @Override
            public void run() {
                if (meter[0] != null) meter[0].shutdown();
                GcPauses.stop();
            }
        });
        GcPauses.start();
        meter[0] = new HiccupMeter(context.integer("stall.resolution.ms"), context.integer("stall.threshold.ms"),
                context.string("stall.vmstat"), System.currentTimeMillis() + context.millis("stall.grace"));
        meter[0].start();
    }
}
