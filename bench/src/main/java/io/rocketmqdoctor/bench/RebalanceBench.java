package io.rocketmqdoctor.bench;

import org.apache.rocketmq.client.impl.consumer.RebalanceImpl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One clustering rebalance of one topic (8 queues, 2 consumers) on stand-ins, with and without the agent's
 * rebalance detector, which replays the allocation for every consumer id. A consumer does this every 20 s per
 * topic, not per message, so it is reported but not held to the per-call gates. Setup proves the mode.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RebalanceBench {
    RebalanceImpl rebalance;

    @Setup
    public void setup() throws Exception {
        rebalance = new RebalanceImpl();
        for (int i = 0; i < 100; i++) rebalance.rebalanceByTopic("BenchTopic");
        boolean judged = judged();
        if ("agent-on".equals(System.getProperty("bench.mode")) != judged) {
            throw new IllegalStateException("mode " + System.getProperty("bench.mode") + " but the detector " + (judged ? "ran" : "did not run"));
        }
    }

    /** Whether the agent's detector has seen this consumer's assignment. */
    static boolean judged() throws Exception {
        try {
            Class<?> d = Class.forName("io.rocketmqdoctor.advices.rebalance.TwinConsumerDetector", true, ClassLoader.getSystemClassLoader());
            Field f = d.getDeclaredField("LAST_ASSIGNMENT");
            f.setAccessible(true);
            return !((Map<?, ?>) f.get(null)).isEmpty();
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Benchmark
    public boolean rebalanceByTopic() {
        return rebalance.rebalanceByTopic("BenchTopic");
    }
}
