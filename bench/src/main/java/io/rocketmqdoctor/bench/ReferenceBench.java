package io.rocketmqdoctor.bench;

import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/** The timing work a timed advice must do, written by hand: two System.nanoTime() and one Recorder.recordValue. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReferenceBench {
    Recorder recorder;

    @Setup
    public void setup() {
        recorder = new Recorder(1_000L, 3_600_000_000_000L, 2);
    }

    @TearDown
    public void check() {
        if (recorder.getIntervalHistogram().getTotalCount() == 0) throw new IllegalStateException("the reference recorded nothing");
    }

    @Benchmark
    public long timedByHand() {
        long t0 = System.nanoTime();
        long t1 = System.nanoTime();
        recorder.recordValue(t1 - t0);
        return t1;
    }
}
