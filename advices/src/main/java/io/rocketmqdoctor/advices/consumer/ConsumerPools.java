package io.rocketmqdoctor.advices.consumer;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.histo.Counter;
import io.rocketmqdoctor.histo.Counters;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The push consumers' consume pools and their flow control, checked by the agent's thread every interval.
 * ConsumeMessageConcurrentlyService (and Orderly) build their pool as new ThreadPoolExecutor(consumeThreadMin,
 * consumeThreadMax, ..., new LinkedBlockingQueue()): a ThreadPoolExecutor adds threads past its core size only when
 * its queue refuses a task, and an unbounded queue never does, so consumeThreadMax has no effect and a slow listener
 * runs on consumeThreadMin threads while requests queue.
 */
public final class ConsumerPools {
    private static final String FLOW_HELP = "Pulls a push consumer held back because of its own cache thresholds, by group and kind.";
    static final int MAX = 64;
    static volatile boolean fix;

    /**
     * Checks in a row a condition must hold before it is a finding: a pull of 32 messages hands a pool 32 requests at
     * once, so a healthy pool has a queue for a few milliseconds, and a consumer catching up is held back for a moment;
     * a sample that lands there is not a pool that never grows nor a listener that does not keep up.
     */
    static final int IN_A_ROW = 3;

    private static final class Pool {
        final WeakReference<ThreadPoolExecutor> pool;
        final String group;
        int crowded;

        Pool(ThreadPoolExecutor pool, String group) {
            this.pool = new WeakReference<ThreadPoolExecutor>(pool);
            this.group = group;
        }
    }

    private static final class Consumer {
        final WeakReference<Object> impl;
        final String group;
        final Counter cache;
        final Counter span;
        long lastCache;
        long lastSpan;
        int heldBack;

        Consumer(Object impl, String group) {
            this.impl = new WeakReference<Object>(impl);
            this.group = group;
            this.cache = Counters.get(ConsumerFeature.FLOW_CONTROL_COUNTER, FLOW_HELP, "group", group, "kind", "cache");
            this.span = Counters.get(ConsumerFeature.FLOW_CONTROL_COUNTER, FLOW_HELP, "group", group, "kind", "span");
        }
    }

    private static final List<Pool> POOLS = new ArrayList<Pool>();
    private static final List<Consumer> CONSUMERS = new ArrayList<Consumer>();

    private ConsumerPools() {}

    /** Woven constructor of the consume service: the pool as RocketMQ built it. */
    public static void built(ThreadPoolExecutor pool, String group) {
        synchronized (POOLS) {
            if (POOLS.size() < MAX) POOLS.add(new Pool(pool, group));
        }
    }

    /**
     * consumer.fix, for a pool seen crowded {@link #IN_A_ROW} checks in a row: its core size becomes consumeThreadMax.
     * Only then: a pool that keeps up is left as RocketMQ built it (a 4.x consumer's 20 of 64 threads is no fault).
     */
    private static void raise(String group, ThreadPoolExecutor pool, int core, int max, int queued) {
        pool.setCorePoolSize(max);
        Findings.report(Finding.of("consumer", ConsumerFeature.POOL_RAISED, Severity.INFO, group,
                "consumer group " + group + ": its consume pool now runs " + max + " threads (consumeThreadMax); RocketMQ built it with "
                        + core + " (consumeThreadMin) on an unbounded queue, which never lets it grow, and " + queued
                        + " consume requests were waiting with every thread busy",
                "none; to do without the agent, set consumeThreadMin to the threads you want")
                .with("group", group).with("consumeThreadMin", core).with("consumeThreadMax", max).with("queued", queued));
    }

    /** Woven DefaultMQPushConsumerImpl.start(): its flow-control counts are followed from now on. */
    public static void started(Object impl) throws Exception {
        String group = PushConsumerReads.group(impl);
        synchronized (CONSUMERS) {
            if (CONSUMERS.size() < MAX) CONSUMERS.add(new Consumer(impl, group));
        }
    }

    /** The agent's thread, every interval. */
    static void check() {
        List<Pool> pools;
        synchronized (POOLS) {
            pools = new ArrayList<Pool>(POOLS);
        }
        for (Pool p : pools) {
            ThreadPoolExecutor pool = p.pool.get();
            if (pool == null || pool.isShutdown()) {
                synchronized (POOLS) {
                    POOLS.remove(p);
                }
                continue;
            }
            int core = pool.getCorePoolSize();
            int max = pool.getMaximumPoolSize();
            int queued = pool.getQueue().size();
            boolean crowded = max > core && queued > 0 && pool.getPoolSize() <= core && pool.getActiveCount() >= pool.getPoolSize();
            p.crowded = crowded ? p.crowded + 1 : 0;
            if (p.crowded < IN_A_ROW) continue;
            if (fix) raise(p.group, pool, core, max, queued);
            else neverGrows(p.group, pool, core, max, queued);
        }
        List<Consumer> consumers;
        synchronized (CONSUMERS) {
            consumers = new ArrayList<Consumer>(CONSUMERS);
        }
        for (Consumer c : consumers) flowControl(c);
    }

    private static void neverGrows(String group, ThreadPoolExecutor pool, int core, int max, int queued) {
        Findings.report(Finding.of("consumer", ConsumerFeature.POOL_NEVER_GROWS, Severity.WARN, group,
                "consumer group " + group + ": " + queued + " consume requests wait while its pool runs " + pool.getPoolSize()
                        + " threads (consumeThreadMin " + core + "); consumeThreadMax " + max + " is never used, because the pool's queue "
                        + "is unbounded (apache/rocketmq #281, #1752)",
                "set rocketmq.doctor.consumer.fix=true (the core size becomes consumeThreadMax), or set consumeThreadMin to the threads you want")
                .with("group", group).with("consumeThreadMin", core).with("consumeThreadMax", max)
                .with("threads", pool.getPoolSize()).with("busy", pool.getActiveCount()).with("queued", queued));
    }

    private static void flowControl(Consumer c) {
        Object impl = c.impl.get();
        if (impl == null) {
            synchronized (CONSUMERS) {
                CONSUMERS.remove(c);
            }
            return;
        }
        long cache;
        long span;
        try {
            cache = ((Number) Reflect.field(impl, "queueFlowControlTimes")).longValue();
            span = ((Number) Reflect.field(impl, "queueMaxSpanFlowControlTimes")).longValue();
        } catch (Exception e) {
            return;
        }
        long dCache = cache - c.lastCache;
        long dSpan = span - c.lastSpan;
        c.lastCache = cache;
        c.lastSpan = span;
        if (dCache > 0) c.cache.add(dCache);
        if (dSpan > 0) c.span.add(dSpan);
        c.heldBack = dCache > 0 || dSpan > 0 ? c.heldBack + 1 : 0;
        if (c.heldBack < IN_A_ROW) return;
        Pool pool = poolOf(c.group);
        ThreadPoolExecutor p = pool == null ? null : pool.pool.get();
        String why = p != null && p.getMaximumPoolSize() > p.getCorePoolSize() && p.getQueue().size() > 0
                ? "its consume pool stays at consumeThreadMin (" + p.getCorePoolSize() + ") with requests queued: consumer.pool-never-grows"
                : "the listener does not keep up: see " + ConsumerFeature.CONSUME_HISTOGRAM + " for group " + c.group;
        Finding f = Finding.of("consumer", ConsumerFeature.FLOW_CONTROL, Severity.WARN, c.group,
                "consumer group " + c.group + " held back its pulls " + (dCache + dSpan) + " times since the last check: "
                        + (dCache > 0 ? dCache + " for too many cached messages (pullThresholdForQueue / pullThresholdSizeForQueue)" : "")
                        + (dCache > 0 && dSpan > 0 ? ", " : "")
                        + (dSpan > 0 ? dSpan + " for too wide an offset span (consumeConcurrentlyMaxSpan)" : "") + "; " + why,
                "make the listener faster or add consumers; consumer.fix=true if the pool never grows")
                .with("group", c.group).with("heldBackForCache", dCache).with("heldBackForSpan", dSpan);
        if (p != null) f.with("threads", p.getPoolSize()).with("queued", p.getQueue().size());
        thresholds(f, impl);
        Findings.report(f);
    }

    /** The thresholds that were passed, and what the consumer holds now: the values behind the finding. */
    private static void thresholds(Finding f, Object impl) {
        try {
            Object push = Reflect.field(impl, "defaultMQPushConsumer");
            f.with("pullThresholdForQueue", Reflect.call(push, "getPullThresholdForQueue"))
                    .with("pullThresholdSizeForQueueMiB", Reflect.call(push, "getPullThresholdSizeForQueue"))
                    .with("consumeConcurrentlyMaxSpan", Reflect.call(push, "getConsumeConcurrentlyMaxSpan"));
            long cached = 0;
            long bytes = 0;
            long widest = 0;
            for (Object pq : PushConsumerReads.processQueues(impl).values()) {
                cached += PushConsumerReads.cachedMessages(pq);
                bytes += ((Number) Reflect.call(Reflect.call(pq, "getMsgSize"), "get")).longValue();
                widest = Math.max(widest, ((Number) Reflect.call(pq, "getMaxSpan")).longValue());
            }
            f.with("cachedMessages", cached).with("cachedMiB", bytes >> 20).with("widestSpan", widest);
        } catch (Exception e) {
            // the counts are the finding; the values are evidence
        }
    }

    private static Pool poolOf(String group) {
        synchronized (POOLS) {
            for (Pool p : POOLS) if (p.group.equals(group) && p.pool.get() != null) return p;
        }
        return null;
    }

    /** The push consumers started so far and still alive (DefaultMQPushConsumerImpl). */
    static List<Object> consumers() {
        List<Object> live = new ArrayList<Object>();
        synchronized (CONSUMERS) {
            for (Consumer c : CONSUMERS) {
                Object impl = c.impl.get();
                if (impl != null) live.add(impl);
            }
        }
        return live;
    }

    /** Detach. */
    static void reset() {
        synchronized (POOLS) {
            POOLS.clear();
        }
        synchronized (CONSUMERS) {
            CONSUMERS.clear();
        }
    }
}
