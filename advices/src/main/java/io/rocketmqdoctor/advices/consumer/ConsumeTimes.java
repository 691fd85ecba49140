package io.rocketmqdoctor.advices.consumer;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Consume calls: timed into consumer.consume by group and topic (the recorder found by the call's MessageQueue, an
 * object RocketMQ keeps per queue: no allocation once seen), and the calls in flight, one slot per consume thread,
 * so that the agent's thread can find a call that has run for consumer.stuck and report its thread's stack once.
 */
public final class ConsumeTimes {
    static final int SLOTS = 512;
    static final int MAX_QUEUES = 4096;
    static volatile long stuckNanos = 60_000_000_000L;

    private static final ConcurrentHashMap<Object, LatencyRecorder> BY_QUEUE = new ConcurrentHashMap<Object, LatencyRecorder>();
    private static final AtomicLongArray STARTS = new AtomicLongArray(SLOTS);
    private static final Thread[] THREADS = new Thread[SLOTS];
    private static final Object[] QUEUES = new Object[SLOTS];
    /** The start already reported per slot (the agent's thread only). */
    private static final long[] REPORTED = new long[SLOTS];

    private ConsumeTimes() {}

    /** A consume call starts on this thread: its slot holds the thread, its queue and its start. */
    public static long started(Object queue) {
        long now = System.nanoTime();
        Thread t = Thread.currentThread();
        int i = (int) (t.getId() & (SLOTS - 1));
        THREADS[i] = t;
        QUEUES[i] = queue;
        STARTS.lazySet(i, now == 0 ? 1 : now);
        return now;
    }

    public static void done(long start, Object queue, Object request) throws Exception {
        long now = System.nanoTime();
        STARTS.lazySet((int) (Thread.currentThread().getId() & (SLOTS - 1)), 0);
        LatencyRecorder r = queue == null ? null : BY_QUEUE.get(queue);
        if (r == null) r = recorder(queue, request);
        r.record(now - start);
    }

    private static LatencyRecorder recorder(Object queue, Object request) throws Exception {
        String group = String.valueOf(Reflect.field(Reflect.field(request, "this$0"), "consumerGroup"));
        String topic = queue == null ? "unknown" : String.valueOf(Reflect.call(queue, "getTopic"));
        LatencyRecorder r = Histograms.get(ConsumerFeature.CONSUME_HISTOGRAM, "group", group, "topic", topic);
        if (queue != null && BY_QUEUE.size() < MAX_QUEUES) BY_QUEUE.put(queue, r);
        return r;
    }

    /** The agent's thread: a call running for consumer.stuck is reported once, with its thread's stack. */
    static void checkStuck() {
        long now = System.nanoTime();
        for (int i = 0; i < SLOTS; i++) {
            long s = STARTS.get(i);
            if (s == 0 || now - s < stuckNanos || REPORTED[i] == s) continue;
            REPORTED[i] = s;
            Thread t = THREADS[i];
            Object queue = QUEUES[i];
            if (t != null) stuck(t, queue, (now - s) / 1_000_000L);
        }
    }

    private static void stuck(Thread t, Object queue, long millis) {
        List<String> stack = new ArrayList<String>();
        for (StackTraceElement e : t.getStackTrace()) {
            if (stack.size() >= 20) break;
            stack.add(e.toString());
        }
        String waitsOn = stack.isEmpty() ? "?" : stack.get(0);
        Findings.report(Finding.of("consumer", ConsumerFeature.LISTENER_STUCK, Severity.WARN, t.getName() + millis / 600_000,
                "consume thread " + t.getName() + " has been in one listener call for " + millis / 1000 + " s (" + t.getState()
                        + " at " + waitsOn + "); its message holds the committed offset of " + queue + " until it returns",
                "fix what the stack waits on (a database, a lock, an HTTP call without a timeout); give the listener timeouts")
                .with("thread", t.getName()).with("state", String.valueOf(t.getState())).with("runningMs", millis)
                .with("queue", String.valueOf(queue)).with("stack", stack));
    }

    /** Detach. */
    static void reset() {
        BY_QUEUE.clear();
        for (int i = 0; i < SLOTS; i++) {
            STARTS.set(i, 0);
            THREADS[i] = null;
            QUEUES[i] = null;
            REPORTED[i] = 0;
        }
    }
}
