package io.rocketmqdoctor.advices.grpc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The listener each timed RPC puts on its future, from a fixed pool so that a call allocates none: a push consumer
 * keeps a receive call in flight per queue (long polls of up to half a minute), so the pool is sized for thousands.
 * Past that, a listener of its own (counted by nothing: it is the same work, with one allocation).
 */
final class Completion implements Runnable {
    private static final int SLOTS = 4096;
    private static final Completion[] POOL = new Completion[SLOTS];
    private static final AtomicIntegerArray BUSY = new AtomicIntegerArray(SLOTS);
    private static final AtomicInteger NEXT = new AtomicInteger();
    /** Its errors count against the advice that started it: the breaker takes that out. */
    private static final String SITE = io.rocketmqdoctor.install.AdviceErrors.site("grpc", GrpcAdvice.class);

    private final int slot;
    private int rpc;
    private Object manager;
    private String endpoint;
    private Object future;
    private long start;

    private Completion(int slot) {
        this.slot = slot;
    }

    static Completion acquire() {
        int from = NEXT.getAndIncrement();
        for (int i = 0; i < 64; i++) {
            int s = (from + i) & (SLOTS - 1);
            if (BUSY.compareAndSet(s, 0, 1)) {
                Completion c = POOL[s];
                if (c == null) POOL[s] = c = new Completion(s);
                return c;
            }
        }
        return new Completion(-1);
    }

    void set(int rpc, Object manager, String endpoint, Object future, long start) {
        this.rpc = rpc;
        this.manager = manager;
        this.endpoint = endpoint;
        this.future = future;
        this.start = start;
    }

    /** Back to the pool, its references dropped. */
    void release() {
        future = null;
        manager = null;
        endpoint = null;
        if (slot >= 0) BUSY.set(slot, 0);
    }

    @Override
    public void run() {
        int r = rpc;
        Object m = manager;
        String e = endpoint;
        Object f = future;
        long s = start;
        release();
        try {
            GrpcCalls.finished(r, m, e, f, s);
        } catch (Throwable ignored) {
            // the client's own listeners on this future go on whatever the agent's does
            io.rocketmqdoctor.install.AdviceErrors.swallowed(ignored, SITE);
        }
    }
}
