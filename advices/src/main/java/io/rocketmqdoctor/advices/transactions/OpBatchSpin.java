package io.rocketmqdoctor.advices.transactions;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;

/**
 * 5.5.0's TransactionalOpBatchService spins a core once its op queues are empty (apache/rocketmq #10966): an empty
 * queue's old last-write time pulls batchSendOpMessage's next wake-up into the past, it returns 0 ("at once"), and the
 * thread loops without sleeping for as long as the broker runs. Told from the thread's CPU time; the fix does what
 * #10967 does: with nothing pending, wake after transactionOpBatchInterval.
 */
public final class OpBatchSpin {
    static final String THREAD = "TransactionalOpBatchService";
    /** The share of one core an idle op-batch thread must use, over a whole interval, to be told. */
    static final double SPINNING = 0.8;

    public static volatile boolean fix;
    /**
     * batchSendOpMessage's answers of 0 ("at once"), counted by the op-batch thread alone (so no atomic needed): the spin
     * makes millions a second, a busy thread writing ops a few. Only a broker whose op-batch method is woven counts.
     */
    public static volatile long zeroes;
    /** Zero answers in an interval that, with the thread's CPU, make it the idle spin rather than work. */
    static final long SPIN_ZEROES = 10_000;
    private static long lastZeroes;
    private static volatile long intervalMs = -1;
    private static volatile boolean saidFixed;
    private static long threadId = -1;
    private static long lastCpu = -1;
    private static long lastWall;
    private static long lastLookup;

    private OpBatchSpin() {}

    /** batchSendOpMessage returned 0: with every op queue empty that is the spin, and the fix waits an interval instead. */
    public static long idleWake(Object service, Map<?, ?> pending) throws Exception {
        for (Object context : pending.values()) {
            if (((Number) Reflect.call(Reflect.call(context, "getTotalSize"), "get")).longValue() > 0
                    && ((Number) Reflect.call(Reflect.call(context, "getContextQueue"), "size")).longValue() > 0) {
                return 0L;
            }
        }
        if (intervalMs < 0) {
            Object config = Reflect.call(Reflect.call(Reflect.field(service, "transactionalMessageBridge"), "getBrokerController"),
                    "getBrokerConfig");
            intervalMs = ((Number) Reflect.call(config, "getTransactionOpBatchInterval")).longValue();
        }
        if (!saidFixed) {
            saidFixed = true;
            AgentLog.info("transactions.fix: TransactionalOpBatchService had nothing to send and would have run again at once "
                    + "(apache/rocketmq #10966); it now waits " + intervalMs + " ms, as #10967 has it");
            Findings.report(Finding.of("transactions", TransactionsFeature.OP_BATCH_FIXED, Severity.INFO, "",
                    "transactions.fix: this broker's TransactionalOpBatchService, idle, would have looped without sleeping (5.5.0, "
                            + "apache/rocketmq #10966); it now waits transactionOpBatchInterval (" + intervalMs + " ms) when it has nothing to send",
                    "upgrade the broker past 5.5.0 (#10967)").with("waitMs", intervalMs));
        }
        return System.currentTimeMillis() + intervalMs;
    }

    /** Each interval: the op-batch thread's CPU share since the last. */
    static void sample() {
        long z = zeroes;
        long spins = z - lastZeroes;
        lastZeroes = z;
        if (z == 0) return; // not a 5.1+ broker, or its op-batch thread never answered 0
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) return;
        long wall = System.nanoTime();
        if (threadId < 0) {
            if (wall - lastLookup < 60_000_000_000L && lastLookup != 0) return;
            lastLookup = wall;
            for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (t != null && THREAD.equals(t.getThreadName())) threadId = t.getThreadId();
            }
            if (threadId < 0) return;
        }
        long cpu = mx.getThreadCpuTime(threadId);
        if (cpu < 0) {
            threadId = -1;
            return;
        }
        if (lastCpu >= 0 && wall > lastWall) {
            double share = (cpu - lastCpu) / (double) (wall - lastWall);
            if (share >= SPINNING && spins >= SPIN_ZEROES) {
                Findings.report(Finding.of("transactions", TransactionsFeature.OP_BATCH_SPIN, Severity.WARN, "",
                        "this broker's " + THREAD + " thread used " + Math.round(share * 100) + "% of a core over the last "
                                + Math.round((wall - lastWall) / 1e9) + " s: 5.5.0's batchSendOpMessage returns 0 (run again at once) "
                                + "once its op queues are empty, and the thread loops without sleeping (apache/rocketmq #10966)",
                        "transactions.fix=true on this broker (waits transactionOpBatchInterval when there is nothing to send, as #10967 "
                                + "does), or a broker with #10967")
                        .with("thread", THREAD).with("cpuShare", Math.round(share * 100) / 100.0).with("runsAtOnce", spins));
            }
        }
        lastCpu = cpu;
        lastWall = wall;
    }

    static void reset() {
        threadId = -1;
        lastCpu = -1;
        lastZeroes = zeroes;
        lastLookup = 0;
        saidFixed = false;
    }
}
