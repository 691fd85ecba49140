package io.rocketmqdoctor.advices.consumer;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Consume calls: timed into consumer.consume by group and topic (the recorder found by the call's MessageQueue, an
 * object RocketMQ keeps per queue: no allocation once seen), and the calls in flight, one slot per consume thread,
 * so that the agent's thread can find a call that has run for consumer.stuck and report its thread's stack once.
 * A concurrent call is one ConsumeRequest.run. An orderly ConsumeRequest.run loops, batch after batch under the
 * queue's lock, for up to a minute: there a call runs from the ProcessQueue handing out a batch (takeMessages) to
 * processConsumeResult, on the same thread.
 */
public final class ConsumeTimes {
    static final int SLOTS = 512;
    static final int MAX_QUEUES = 4096;
    static volatile long stuckNanos = 60_000_000_000L;

    private static final ConcurrentHashMap<Object, LatencyRecorder> BY_QUEUE = new ConcurrentHashMap<Object, LatencyRecorder>();
    private static final AtomicLongArray STARTS = new AtomicLongArray(SLOTS);
    private static final Thread[] THREADS = new Thread[SLOTS];
    /** The ConsumeRequest each slot's thread runs (its queue, ProcessQueue and messages, read only when it is stuck). */
    private static final Object[] REQUESTS = new Object[SLOTS];
    /** Per slot, the agent's thread only: the start already reported stuck, the start already reported past consumeTimeout,
     *  and that call's consumeTimeout. */
    private static final long[] REPORTED = new long[SLOTS];
    private static final long[] TIMED_OUT = new long[SLOTS];
    private static final long[] TIMEOUT_NANOS = new long[SLOTS];
    /** The orderly run's queue, for the recorder of each call it makes (its slot's own). */
    private static final Object[] QUEUES = new Object[SLOTS];

    private ConsumeTimes() {}

    private static int slot() {
        return (int) (Thread.currentThread().getId() & (SLOTS - 1));
    }

    /** A consume call starts on this thread: its slot holds the thread, its queue and its start. */
    public static long started(Object request) {
        long now = System.nanoTime();
        int i = slot();
        THREADS[i] = Thread.currentThread();
        REQUESTS[i] = request;
        STARTS.lazySet(i, now == 0 ? 1 : now);
        return now;
    }

    /** An orderly ConsumeRequest.run starts on this thread: its calls are timed from the batches it takes. */
    public static void orderlyRun(Object request, Object queue) {
        int i = slot();
        THREADS[i] = Thread.currentThread();
        REQUESTS[i] = request;
        QUEUES[i] = queue;
    }

    /** ProcessQueue.takeMessages returned a batch: the orderly listener call starts (inside an orderly run only). */
    public static void orderlyTaken(java.util.List<?> batch) {
        int i = slot();
        if (batch == null || batch.isEmpty() || REQUESTS[i] == null) return;
        long now = System.nanoTime();
        STARTS.lazySet(i, now == 0 ? 1 : now);
    }

    /** processConsumeResult: the orderly listener call returned. */
    public static void orderlyConsumed() throws Exception {
        long now = System.nanoTime();
        int i = slot();
        long start = STARTS.get(i);
        if (start == 0) return;
        STARTS.lazySet(i, 0);
        record(QUEUES[i], REQUESTS[i], now - start);
    }

    /** The orderly run ended (also when its queue was dropped after a batch was taken). */
    public static void orderlyRunDone() {
        int i = slot();
        STARTS.lazySet(i, 0);
        REQUESTS[i] = null;
        QUEUES[i] = null;
    }

    public static void done(long start, Object queue, Object request) throws Exception {
        long now = System.nanoTime();
        int i = slot();
        STARTS.lazySet(i, 0);
        REQUESTS[i] = null;
        record(queue, request, now - start);
    }

    /** Into the queue's recorder, found by the MessageQueue object (made once per queue from the request's group). */
    private static void record(Object queue, Object request, long nanos) throws Exception {
        LatencyRecorder r = queue == null ? null : BY_QUEUE.get(queue);
        if (r == null) r = recorder(queue, request);
        r.record(nanos);
    }

    private static LatencyRecorder recorder(Object queue, Object request) throws Exception {
        String group = String.valueOf(Reflect.field(Reflect.field(request, "this$0"), "consumerGroup"));
        String topic = queue == null ? "unknown" : String.valueOf(Reflect.call(queue, "getTopic"));
        LatencyRecorder r = Histograms.get(ConsumerFeature.CONSUME_HISTOGRAM, "group", group, "topic", topic);
        if (queue != null && BY_QUEUE.size() < MAX_QUEUES) BY_QUEUE.put(queue, r);
        return r;
    }

    /** The agent's thread: a call running for consumer.stuck is reported once, with its thread's stack; past its consumer's
     *  consumeTimeout once more, since RocketMQ then sends its message back for redelivery. */
    static void checkStuck() {
        long now = System.nanoTime();
        for (int i = 0; i < SLOTS; i++) {
            long s = STARTS.get(i);
            if (s == 0 || now - s < stuckNanos) continue;
            Thread t = THREADS[i];
            Object request = REQUESTS[i];
            if (t == null || request == null) continue;
            try {
                if (REPORTED[i] != s) {
                    REPORTED[i] = s;
                    TIMEOUT_NANOS[i] = StuckCall.consumeTimeoutNanos(request);
                    StuckCall.stuck(t, request, (now - s) / 1_000_000L);
                }
                if (TIMED_OUT[i] != s && TIMEOUT_NANOS[i] > 0 && now - s >= TIMEOUT_NANOS[i]) {
                    TIMED_OUT[i] = s;
                    StuckCall.pastTimeout(t, request, (now - s) / 1_000_000L, TIMEOUT_NANOS[i] / 60_000_000_000L);
                }
            } catch (Exception e) {
                // the call ended while it was read: nothing to report
            }
        }
    }

    /** Detach. */
    static void reset() {
        BY_QUEUE.clear();
        for (int i = 0; i < SLOTS; i++) {
            STARTS.set(i, 0);
            THREADS[i] = null;
            REQUESTS[i] = null;
            QUEUES[i] = null;
            REPORTED[i] = 0;
            TIMED_OUT[i] = 0;
            TIMEOUT_NANOS[i] = 0;
        }
    }
}
