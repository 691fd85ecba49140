package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.histo.LatencyRecorder;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Async requests in flight, so that {@code mode=async} and {@code mode=invoke} time the round trip:
 * the request is noted when invokeAsync/invoke is entered (by its opaque, the per-JVM request number RocketMQ puts
 * on the wire), and timed when ResponseFuture.executeInvokeCallback starts: on the answer, on the timeout (4.x scans
 * for those once a second) or on a failed write. The agent adds no field and wraps no callback: a fixed ring of
 * slots indexed by the opaque holds the start time and the recorder, nothing is allocated per request. A slot taken
 * by a newer request before the older one finished (over {@link #SIZE} requests in flight) loses the older one's
 * time; a request never answered is simply overwritten.
 */
public final class AsyncCalls {
    static final int SIZE = 8192;
    private static final int MASK = SIZE - 1;
    private static final int FREE = Integer.MIN_VALUE;

    private static final AtomicIntegerArray OPAQUES = new AtomicIntegerArray(SIZE);
    private static final long[] STARTS = new long[SIZE];
    private static final LatencyRecorder[] RECORDERS = new LatencyRecorder[SIZE];

    static {
        for (int i = 0; i < SIZE; i++) OPAQUES.set(i, FREE);
    }

    private AsyncCalls() {}

    /** Detach: requests noted by this attach are not timed by the next. */
    static void reset() {
        for (int i = 0; i < SIZE; i++) OPAQUES.set(i, FREE);
    }

    static void sent(int opaque, LatencyRecorder recorder, long startNanos) {
        int i = opaque & MASK;
        STARTS[i] = startNanos;
        RECORDERS[i] = recorder;
        OPAQUES.set(i, opaque);                        // publishes the two plain writes above
    }

    /** Records the round trip once: the first caller for this opaque takes the slot. */
    public static void finished(int opaque, long nowNanos) {
        int i = opaque & MASK;
        if (OPAQUES.get(i) != opaque) return;           // not an async request the agent noted (a 5.x sync one)
        long start = STARTS[i];
        LatencyRecorder r = RECORDERS[i];
        if (OPAQUES.compareAndSet(i, opaque, FREE)) r.record(nowNanos - start);
    }

    /** The call threw: it is timed where it failed, not again when a callback runs. */
    static void forget(int opaque) {
        OPAQUES.compareAndSet(opaque & MASK, opaque, FREE);
    }

    /** Requests noted and not yet finished (for tests). */
    static int inFlight() {
        int n = 0;
        for (int i = 0; i < SIZE; i++) if (OPAQUES.get(i) != FREE) n++;
        return n;
    }
}
