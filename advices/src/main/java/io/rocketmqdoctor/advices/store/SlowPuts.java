package io.rocketmqdoctor.advices.store;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.advices.stall.GcPauses;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts over store.slow-put.ms (incident 3: "putMessage not in lock eclipse/elapsed time(ms)" over 500 ms).
 * Kept until their GC notifications have had a second to arrive, then reported on the agent's thread.
 */
final class SlowPuts {
    private static final class Slow {
        final long endMillis;
        final long took;
        final long inLock;
        final String topic;
        final int bodyBytes;

        Slow(long endMillis, long took, long inLock, String topic, int bodyBytes) {
            this.endMillis = endMillis;
            this.took = took;
            this.inLock = inLock;
            this.topic = topic;
            this.bodyBytes = bodyBytes;
        }
    }

    /** A stalled broker finishes many puts at once; a few are enough evidence. */
    private static final int MAX_PENDING = 32;
    private static final ConcurrentLinkedQueue<Slow> PENDING = new ConcurrentLinkedQueue<Slow>();

    static void reset() {
        PENDING.clear();
    }
    private static final AtomicInteger SIZE = new AtomicInteger();

    private SlowPuts() {}

    static void add(long took, long inLock, Object msg) {
        if (SIZE.incrementAndGet() > MAX_PENDING) {
            SIZE.decrementAndGet();
            return;
        }
        String topic = null;
        int body = -1;
        try {
            topic = (String) Reflect.call(msg, "getTopic");
            byte[] b = (byte[]) Reflect.call(msg, "getBody");
            body = b == null ? 0 : b.length;
        } catch (Exception ignored) {
            // told as unknown
        }
        PENDING.add(new Slow(System.currentTimeMillis(), took, inLock, topic, body));
    }

    /** On the agent's thread, every interval. */
    static void report() {
        long now = System.currentTimeMillis();
        for (Slow s; (s = PENDING.peek()) != null && now - s.endMillis >= 1000; ) {
            PENDING.poll();
            SIZE.decrementAndGet();
            long tookMs = s.took / 1_000_000L;
            long startMillis = s.endMillis - tookMs;
            List<GcPauses.Pause> pauses = GcPauses.overlapping(startMillis, s.endMillis, 20);
            boolean gc = !pauses.isEmpty();
            String inLock = s.inLock < 0 ? "in-lock time not seen" : (s.inLock / 1_000_000L) + " ms of it inside the commit-log lock";
            Findings.report(Finding.of("store", StoreFeature.SLOW_PUT, Severity.WARN, "slow-put",
                    "a put took " + tookMs + " ms (" + inLock + "), topic " + s.topic + ", body " + s.bodyBytes + " B; "
                            + (!GcPauses.listening() ? "GC pauses not watched" : gc ? "a GC pause overlapped it: " + GcPauses.describe(pauses)
                            : "no GC pause overlapped it"),
                    gc ? "GC: size the heap and tune the collector"
                            : "not GC: look at the host (findings stall.non-gc-pause, os.memory-settings) and the disk; in-lock time over"
                            + " osPageCacheBusyTimeOutMills (1000) makes the broker answer [PC_SYNCHRONIZED]/[PCBUSY_CLEAN_QUEUE]")
                    .with("putMs", tookMs).with("inLockMs", s.inLock < 0 ? null : s.inLock / 1_000_000L)
                    .with("bodyBytes", s.bodyBytes).with("topic", s.topic).with("gcOverlap", gc)
                    .with("gcPauses", GcPauses.describe(pauses)));
        }
    }
}
