package io.rocketmqdoctor.bench;

import org.HdrHistogram.Recorder;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client remoting hot path: NettyRemotingClient.invokeSync on a stand-in that answers at once, in the
 * fork's mode (system property bench.mode): none (no agent), agent-disabled (jar attached, feature off),
 * agent-on. Setup proves the mode: with the agent on, the agent's recorder for this request must count.
 * "reference" does the timing work a timed advice must do, by hand (two System.nanoTime() and one
 * Recorder.recordValue on a recorder of the agent's range), in the same fork, so both see the same machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RemotingInvokeBench {
    static final String BROKER = "127.0.0.1:10911";
    NettyRemotingClient client;
    RemotingCommand request;
    Recorder recorder;

    @Setup
    public void setup() throws Exception {
        recorder = new Recorder(1_000L, 3_600_000_000_000L, 2);
        client = new NettyRemotingClient();
        request = new RemotingCommand(310);
        for (int i = 0; i < 1000; i++) client.invokeSync(BROKER, request, 3000);
        String mode = System.getProperty("bench.mode", "none");
        long counted = recorded();
        if (mode.equals("agent-on") && counted <= 0) throw new IllegalStateException("agent-on, but the agent recorded no call: not instrumented");
        if (!mode.equals("agent-on") && counted > 0) throw new IllegalStateException(mode + ", but the agent recorded calls");
    }

    /** Calls of this request the agent's recorder has counted so far (after its swap), or -1 without the agent. */
    static long recorded() throws Exception {
        Class<?> histograms;
        try {
            histograms = Class.forName("io.rocketmqdoctor.histo.Histograms", true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            return -1;
        }
        long deadline = System.currentTimeMillis() + 5000;
        long n = 0;
        while (System.currentTimeMillis() < deadline) {
            n = 0;
            for (Object r : (List<?>) histograms.getMethod("all").invoke(null)) {
                String key = (String) r.getClass().getMethod("key").invoke(r);
                if (!key.startsWith("remoting.client;role=broker;mode=sync;request=310")) continue;
                Object total = r.getClass().getMethod("total").invoke(r);
                Field count = total.getClass().getField("count");
                n += count.getLong(total);
            }
            if (n > 0 || !"agent-on".equals(System.getProperty("bench.mode"))) return n;
            Thread.sleep(100);
        }
        return n;
    }

    @Benchmark
    public RemotingCommand invokeSync() throws InterruptedException {
        return client.invokeSync(BROKER, request, 3000);
    }

    @Benchmark
    public long reference() {
        long t0 = System.nanoTime();
        long t1 = System.nanoTime();
        recorder.recordValue(t1 - t0);
        return t1;
    }

}
