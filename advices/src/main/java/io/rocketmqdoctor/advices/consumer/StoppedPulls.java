package io.rocketmqdoctor.advices.consumer;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * A queue this consumer holds but no longer pulls. A push consumer pulls each of its queues in one
 * chain: every answer (a long poll returns within 15 s, a failure is retried within 3 s, flow control every 50 ms)
 * schedules the next pull and stamps ProcessQueue.lastPullTimestamp. An Error in the pull's callback (an
 * OutOfMemoryError while decoding, a LinkageError in an offset store: MQClientAPIImpl catches only Exception) ends the
 * chain, and the queue's messages wait until RocketMQ's own repair drops the queue after 120 s idle
 * (rocketmq.client.pull.pullMaxIdleTime, "pull is pause", apache/rocketmq #1918) at a later rebalance.
 * The fix uses that same repair at once: the queue's last pull is aged past the limit and the client rebalances, so
 * RocketMQ drops the ProcessQueue (an old chain, if it ever comes back, sees it dropped and ends) and pulls anew from the
 * committed offset. Only a queue with no cached message is repaired that way: its committed offset is exactly where
 * consumption stopped, so nothing is consumed twice or skipped.
 */
final class StoppedPulls {
    static volatile long idleMillis = 60_000;
    static volatile boolean fix;
    static volatile long intervalMillis = 10_000;

    /** ProcessQueue -> the last pull time already reported (the agent's thread only). */
    private static final Map<Object, Long> REPORTED = new WeakHashMap<Object, Long>();
    private static long lastCheck;

    private StoppedPulls() {}

    /** The agent's thread, every interval, for each started push consumer. */
    static void check(Iterable<Object> consumers) {
        long now = System.currentTimeMillis();
        long since = now - lastCheck;
        lastCheck = now;
        // a JVM that was stopped (SIGSTOP, a long GC) comes back with every queue looking idle: the pulls in flight
        // answer or time out within 30 s, so such a round says nothing
        if (since > idleMillis / 2 + intervalMillis) return;
        for (Object impl : consumers) {
            try {
                consumer(impl, now);
            } catch (Exception e) {
                // a consumer shutting down, or a release without one of the getters: nothing to say this round
            }
        }
    }

    private static void consumer(Object impl, long now) throws Exception {
        if (!PushConsumerReads.running(impl)) return;
        String group = PushConsumerReads.group(impl);
        // a consumer that asks for a pause between pulls (pullInterval, #653) is idle that long by design
        long limit = idleMillis + ((Number) Reflect.call(Reflect.call(impl, "getDefaultMQPushConsumer"), "getPullInterval")).longValue();
        Map<?, ?> queues = PushConsumerReads.processQueues(impl);
        boolean repaired = false;
        for (Map.Entry<?, ?> e : queues.entrySet()) {
            Object pq = e.getValue();
            if ((Boolean) Reflect.call(pq, "isDropped")) continue;
            long last = ((Number) Reflect.call(pq, "getLastPullTimestamp")).longValue();
            if (now - last < limit) continue;
            long cached = PushConsumerReads.cachedMessages(pq);
            Long seen = REPORTED.get(pq);
            if (seen == null || seen != last) {
                REPORTED.put(pq, last);
                report(impl, group, e.getKey(), now - last, cached);
            }
            if (fix && cached == 0) {
                Reflect.call(pq, "setLastPullTimestamp", 0L);
                repaired = true;
                Findings.report(Finding.of("consumer", ConsumerFeature.PULL_RESTARTED, Severity.INFO, group + "|" + e.getKey() + "|" + last,
                        "consumer group " + group + ": pulls of " + e.getKey() + " restart from the committed offset (RocketMQ's own "
                                + "'pull is pause' repair, run now instead of after 120 s)",
                        "none; find the Error that ended the pulls in the client's log")
                        .with("group", group).with("queue", String.valueOf(e.getKey())).with("idleMs", now - last));
            }
        }
        if (repaired) Reflect.call(Reflect.call(impl, "getmQClientFactory"), "rebalanceImmediately");
    }

    private static void report(Object impl, String group, Object mq, long idle, long cached) {
        Finding f = Finding.of("consumer", ConsumerFeature.PULL_STOPPED, Severity.WARN, group + "|" + mq,
                "consumer group " + group + " stopped pulling " + mq + ": its last pull was " + idle / 1000 + " s ago, while a pull is "
                        + "answered or retried within about 30 s; the queue's new messages wait. Something ended its pull chain (an Error in "
                        + "the pull's callback); RocketMQ repairs it only after 120 s idle, at a rebalance"
                        + (fix && cached > 0 ? "; the fix waits for its " + cached + " cached messages to be consumed" : ""),
                "set rocketmq.doctor.consumer.fix=true to restart the queue's pulls at once; look in the client's log for the Error "
                        + "(OutOfMemoryError, LinkageError) around the last pull")
                .with("group", group).with("queue", String.valueOf(mq)).with("idleMs", idle).with("cachedMessages", cached);
        f.with("committedOffset", PushConsumerReads.committedOffset(impl, mq));
        try {
            f.with("brokerMaxOffset", Reflect.call(Reflect.call(Reflect.call(impl, "getmQClientFactory"), "getMQAdminImpl"), "maxOffset", mq));
        } catch (Exception e) {
            // the backlog is evidence, not the finding
        }
        Findings.report(f);
    }

    /** Detach. */
    static void reset() {
        REPORTED.clear();
        lastCheck = 0;
    }
}
