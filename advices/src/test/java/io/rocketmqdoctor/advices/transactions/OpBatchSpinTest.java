package io.rocketmqdoctor.advices.transactions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * transactions.fix changes batchSendOpMessage's answer only when it would spin: 0 ("at once") with every op queue
 * empty. Stand-ins with the members OpBatchSpin reaches (TransactionalMessageServiceImpl's bridge to the broker's
 * config, MessageQueueOpContext's size and queue).
 */
class OpBatchSpinTest {
    public static class Config {
        public long getTransactionOpBatchInterval() { return 3000; }
    }

    public static class Broker {
        public Config getBrokerConfig() { return new Config(); }
    }

    public static class Bridge {
        public Broker getBrokerController() { return new Broker(); }
    }

    public static class Service {
        final Bridge transactionalMessageBridge = new Bridge();
    }

    public static class Context {
        final AtomicInteger totalSize = new AtomicInteger();
        final LinkedBlockingQueue<String> contextQueue = new LinkedBlockingQueue<>();

        public AtomicInteger getTotalSize() { return totalSize; }
        public LinkedBlockingQueue<String> getContextQueue() { return contextQueue; }
    }

    @AfterEach
    void off() {
        OpBatchSpin.reset();
    }

    @Test
    void anIdleThreadWaitsItsIntervalInsteadOfRunningAgainAtOnce() throws Exception {
        Map<Integer, Context> pending = new HashMap<>();
        pending.put(0, new Context());
        long before = System.currentTimeMillis();
        long next = OpBatchSpin.idleWake(new Service(), pending);
        assertTrue(next >= before + 3000 && next <= System.currentTimeMillis() + 3000, "waits 3000 ms: " + (next - before));
    }

    @Test
    void aThreadWithOpsToWriteRunsAgainAtOnceAsBefore() throws Exception {
        Context busy = new Context();
        busy.totalSize.set(12);
        busy.contextQueue.add("3,4,5");
        Map<Integer, Context> pending = new HashMap<>();
        pending.put(0, new Context());
        pending.put(1, busy);
        assertEquals(0L, OpBatchSpin.idleWake(new Service(), pending));
    }
}
