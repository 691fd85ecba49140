package io.rocketmqdoctor.advices.store;

import io.rocketmqdoctor.histo.Counter;
import io.rocketmqdoctor.histo.Counters;
import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The put-path measurements, called from the woven code (so public). The in-lock time is kept per thread:
 * the thread that takes the commit-log lock is the one that puts, in every release.
 */
public final class StoreTimes {
    static final LatencyRecorder PUT = Histograms.get(StoreFeature.PUT_HISTOGRAM);
    static final LatencyRecorder IN_LOCK = Histograms.get(StoreFeature.PUT_LOCK_HISTOGRAM);
    private static final String HELP = "broker flow-control answers (in a client: received)";
    static final Counter TIMEOUT_CLEAN_QUEUE = Counters.get(StoreFeature.FLOW_CONTROL, HELP, "reason", "TIMEOUT_CLEAN_QUEUE");
    static final Counter PCBUSY_CLEAN_QUEUE = Counters.get(StoreFeature.FLOW_CONTROL, HELP, "reason", "PCBUSY_CLEAN_QUEUE");
    static final Counter PC_SYNCHRONIZED = Counters.get(StoreFeature.FLOW_CONTROL, HELP, "reason", "PC_SYNCHRONIZED");

    /**
     * Per thread: [0] when the lock was taken, [1] how long it was held, [2] when the put began (0: not in a put),
     * [3] 1 once this put's hold is measured. PutMessageSpinLock also guards the flush and HA request lists;
     * only the first lock a put takes (the commit-log lock) is its in-lock time.
     */
    private static final ThreadLocal<long[]> SLOT = new ThreadLocal<long[]>() {
        @Override
        protected long[] initialValue() { return new long[4]; }
    };

    static volatile long slowNanos = 500_000_000L;

    private StoreTimes() {}

    public static long putStarts() {
        long now = System.nanoTime();
        long[] slot = SLOT.get();
        slot[2] = now;
        slot[3] = 0;
        return now;
    }

    public static void locked() {
        long[] slot = SLOT.get();
        if (slot[2] != 0 && slot[3] == 0) slot[0] = System.nanoTime();
    }

    public static void unlocking() {
        long[] slot = SLOT.get();
        if (slot[2] == 0 || slot[3] != 0 || slot[0] < slot[2]) return;
        long held = System.nanoTime() - slot[0];
        slot[1] = held;
        slot[3] = 1;
        IN_LOCK.record(held);
    }

    public static void putReturned(long start, Object msg, Object result) {
        long[] slot = SLOT.get();
        long inLock = slot[3] == 1 ? slot[1] : -1;
        slot[2] = 0;
        // 4.7+: a put that must wait for the flush or the slave (SYNC_FLUSH, SYNC_MASTER) completes later.
        if (result instanceof CompletableFuture && !((CompletableFuture<?>) result).isDone()) {
            ((CompletableFuture<?>) result).whenComplete(new Completion(start, inLock, msg));
            return;
        }
        finished(start, System.nanoTime(), inLock, msg);
    }

    static void finished(long start, long end, long inLock, Object msg) {
        long took = end - start;
        PUT.record(took);
        if (took >= slowNanos) SlowPuts.add(took, inLock, msg);
    }

    public static void remark(String remark) {
        if (remark.startsWith("[TIMEOUT_CLEAN_QUEUE]")) TIMEOUT_CLEAN_QUEUE.increment();
        else if (remark.startsWith("[PCBUSY_CLEAN_QUEUE]")) PCBUSY_CLEAN_QUEUE.increment();
        else if (remark.startsWith("[PC_SYNCHRONIZED]")) PC_SYNCHRONIZED.increment();
    }

    private static final class Completion implements BiConsumer<Object, Throwable> {
        private final long start;
        private final long inLock;
        private final Object msg;

        Completion(long start, long inLock, Object msg) {
            this.start = start;
            this.inLock = inLock;
            this.msg = msg;
        }

        @Override
        public void accept(Object result, Throwable error) {
            finished(start, System.nanoTime(), inLock, msg);
        }
    }
}
