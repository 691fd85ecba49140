package io.rocketmqdoctor.bench;

import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The timing work every timed advice does: two nanoTime reads and one record. "reference" does it by hand
 * on a bare HdrHistogram Recorder; "agentRecorder" through the agent's LatencyRecorder (clamping included).
 * Run: java -jar bench/target/benchmarks.jar RecorderBench -prof gc
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecorderBench {
    private Recorder reference;
    private LatencyRecorder agent;

    @Setup
    public void setup() {
        reference = new Recorder(LatencyRecorder.LOWEST_NANOS, LatencyRecorder.HIGHEST_NANOS, LatencyRecorder.DIGITS);
        agent = Histograms.get("bench.recorder");
    }

    @TearDown(Level.Trial)
    public void check() {
        if (reference.getIntervalHistogram().getTotalCount() == 0) throw new IllegalStateException("reference recorded nothing");
        agent.record(1);
        if (Histograms.all().isEmpty()) throw new IllegalStateException("agent recorder missing");
    }

    @Benchmark
    public long reference() {
        long t0 = System.nanoTime();
        long t1 = System.nanoTime();
        reference.recordValue(t1 - t0);
        return t1;
    }

    @Benchmark
    public long agentRecorder() {
        long t0 = System.nanoTime();
        long t1 = System.nanoTime();
        agent.record(t1 - t0);
        return t1;
    }
}
