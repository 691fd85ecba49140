package io.rocketmqdoctor.advices.transactions;

import io.rocketmqdoctor.advices.Gathering;
import io.rocketmqdoctor.advices.Handles;
import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.histo.Counters;

import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The producer's side: the transactions this JVM ended (COMMIT or ROLLBACK sent, one-way) and the topics each producer
 * group sent, against the checks brokers send it. A check for a transaction ended a second or more before is one whose
 * end the broker never got (lost one-way, or late); a check whose message was born (this host's clock) well after it was
 * stored (the broker's clock) comes from clock skew; a check for a topic no producer of the group in this JVM has sent
 * may be another application's (one producer group shared by two applications: the broker asks any of its producers).
 */
public final class TransactionChecks {
    private static final ClassValue<MethodHandle> MSG_ID = Handles.getter("getMsgId");
    private static final ClassValue<MethodHandle> QUEUE = Handles.getter("getMessageQueue");
    private static final ClassValue<MethodHandle> TOPIC = Handles.getter("getTopic");
    private static final ClassValue<MethodHandle> GROUP = Handles.getter("getProducerGroup");
    private static final String HELP = "transaction checks a producer got from brokers, by group and what this JVM knew of the transaction";
    /** Slots of ended transactions by id hash: a later one may take an earlier one's slot (a check then goes unexplained). */
    private static final int SLOTS = 1 << 14;
    /**
     * A check this long after this JVM ended the transaction is not the broker's scan racing the end, nor 5.x's op batching
     * (an end is written to the op queue up to transactionOpBatchInterval, 3 s, after it arrives).
     */
    static final long LATE_MS = 10_000;

    static volatile long maxSkewMs = 6000;
    /** Written time first, id second (ordered), read id first: an id seen has its own time or a later one. */
    private static final AtomicReferenceArray<String> endedIds = new AtomicReferenceArray<String>(SLOTS);
    private static final AtomicLongArray endedAt = new AtomicLongArray(SLOTS);
    /** Transactions a check found running (not ended here): their half message was put back as a copy. */
    private static final AtomicReferenceArray<String> checkedRunning = new AtomicReferenceArray<String>(SLOTS);
    /** producer group -> topics its transactions were sent to in this JVM. */
    private static final Map<String, Map<String, Boolean>> topics = new ConcurrentHashMap<String, Map<String, Boolean>>();
    private static final Gathering<Batch> batches = new Gathering<Batch>(256);

    private TransactionChecks() {}

    /** endTransaction: only COMMIT_MESSAGE and ROLLBACK_MESSAGE end a transaction (UNKNOW leaves it to the checks). */
    public static void ending(Object producer, Object sendResult, Object state) throws Throwable {
        if (sendResult == null || !(state instanceof Enum)) return;
        String group = (String) (Object) GROUP.get(producer.getClass()).invokeExact(producer);
        Object queue = (Object) QUEUE.get(sendResult.getClass()).invokeExact(sendResult);
        if (group != null && queue != null) {
            String topic = (String) (Object) TOPIC.get(queue.getClass()).invokeExact(queue);
            Map<String, Boolean> sent = topics.get(group);
            if (sent == null) {
                topics.putIfAbsent(group, new ConcurrentHashMap<String, Boolean>());
                sent = topics.get(group);
            }
            if (topic != null && sent.get(topic) == null && sent.size() < 1024) sent.put(topic, Boolean.TRUE);
        }
        String name = ((Enum<?>) state).name();
        if (!"COMMIT_MESSAGE".equals(name) && !"ROLLBACK_MESSAGE".equals(name)) return;
        String id = (String) (Object) MSG_ID.get(sendResult.getClass()).invokeExact(sendResult);
        if (id == null) return;
        int slot = id.hashCode() & (SLOTS - 1);
        endedAt.lazySet(slot, System.currentTimeMillis());
        endedIds.lazySet(slot, id);
    }

    private static final class Batch {
        final String group;
        final String broker;
        final String kind;
        final String topic;
        long checks;
        long maxLateMs;
        long skewMs;
        String example;

        Batch(String group, String broker, String kind, String topic) {
            this.group = group;
            this.broker = broker;
            this.kind = kind;
            this.topic = topic;
        }
    }

    /** A broker's check: what this JVM knows of the transaction. A cold path (checks are rare on a healthy cluster). */
    public static void checked(Object producer, String broker, Object msg) throws Exception {
        long now = System.currentTimeMillis();
        String group = String.valueOf(Reflect.call(producer, "getProducerGroup"));
        String topic = String.valueOf(Reflect.call(msg, "getTopic"));
        String id = (String) Reflect.call(msg, "getProperty", "UNIQ_KEY");
        long born = ((Number) Reflect.call(msg, "getBornTimestamp")).longValue();
        long stored = ((Number) Reflect.call(msg, "getStoreTimestamp")).longValue();
        // this host's clock (born) against the broker's (stored): transit only lowers it. Only on a half message's first
        // check: later checks are of the copy the first put back, stored later with the original's born time.
        Object times = Reflect.call(msg, "getProperty", "TRANSACTION_CHECK_TIMES");
        boolean firstCheck = times == null || "1".equals(times);
        long skew = firstCheck ? born - stored : 0;
        String kind = "open";
        long late = 0;
        if (id != null) {
            int slot = id.hashCode() & (SLOTS - 1);
            boolean ended = id.equals(endedIds.get(slot));
            long endedWhen = endedAt.get(slot);
            if (ended && now - endedWhen >= LATE_MS) {
                // a check that found it running put the half message back as a copy, and the end names the original
                kind = id.equals(checkedRunning.get(slot)) || !firstCheck ? "recheck" : "ended";
                late = now - endedWhen;
            } else if (!ended) {
                checkedRunning.set(slot, id);
            }
        }
        Map<String, Boolean> sent = topics.get(group);
        if ("open".equals(kind) && sent != null && !sent.isEmpty() && sent.get(topic) == null) kind = "foreign";
        if ("open".equals(kind) && Math.abs(skew) > maxSkewMs) kind = "skewed";
        Counters.get(TransactionsFeature.CHECKS, HELP, "group", group, "kind", kind).increment();
        if ("open".equals(kind)) return;
        synchronized (batches) {
            String key = group + "|" + broker + "|" + kind + ("foreign".equals(kind) ? "|" + topic : "");
            Batch b = batches.touch(key);
            if (b == null) {
                b = new Batch(group, broker, kind, topic);
                if (!batches.start(key, b)) return;
            }
            b.checks++;
            b.maxLateMs = Math.max(b.maxLateMs, late);
            if (Math.abs(skew) > Math.abs(b.skewMs)) b.skewMs = skew;
            if (b.example == null) b.example = id;
        }
    }

    static void report() {
        for (Batch b : batches.ripe()) Findings.report(finding(b));
    }

    private static Finding finding(Batch b) {
        String n = b.checks + " check" + (b.checks == 1 ? "" : "s");
        String skew = Math.abs(b.skewMs) > maxSkewMs
                ? "this host's clock is about " + ProducerClocks.seconds(Math.abs(b.skewMs)) + " s " + (b.skewMs > 0 ? "ahead of" : "behind")
                + " broker " + b.broker + "'s (the messages were born " + (b.skewMs > 0 ? "after" : "before") + " the broker stored them)"
                : null;
        if ("foreign".equals(b.kind)) {
            return Finding.of("transactions", TransactionsFeature.FOREIGN_CHECK, Severity.INFO, b.group + "|" + b.topic,
                    "broker " + b.broker + " asked producer group " + b.group + " about " + n + " of topic " + b.topic
                            + ", a topic no producer of that group in this JVM has sent a transaction to since it started: another "
                            + "application uses producer group " + b.group + " (a broker asks any producer of the group, so this "
                            + "application's checker answers for the other's transactions), or these are this application's from before a restart",
                    "give each application its own producer group; a checker should answer UNKNOW for a transaction it does not know")
                    .with("group", b.group).with("topic", b.topic).with("broker", b.broker).with("checks", b.checks).with("example", b.example);
        }
        if ("skewed".equals(b.kind)) {
            return Finding.of("transactions", TransactionsFeature.CLOCK_SKEW, Severity.WARN, "producer|" + b.group + "|" + b.broker,
                    "broker " + b.broker + " sent producer group " + b.group + " " + n + " for transactions still running or just ended here, because "
                            + skew + ": a broker checks a half message born in its future (or long before) at once, not after "
                            + "transactionTimeOut; a checker that answers COMMIT for a transaction already committed locally but not yet "
                            + "ended commits it twice (consumed twice)",
                    "sync this host's clock (chrony/NTP) with the brokers'; a checker should answer UNKNOW for a transaction still running")
                    .with("group", b.group).with("broker", b.broker).with("checks", b.checks).with("skewMs", b.skewMs).with("example", b.example);
        }
        if ("recheck".equals(b.kind)) {
            return Finding.of("transactions", TransactionsFeature.UNEXPECTED_CHECK, Severity.WARN, b.group + "|" + b.broker + "|recheck",
                    "broker " + b.broker + " sent producer group " + b.group + " " + n + " for transactions this JVM had already ended "
                            + "(up to " + b.maxLateMs + " ms before) and that an earlier check found still running: that check put the half "
                            + "message back as a copy, the end names the original, so the copy is checked again"
                            + (skew != null ? " (" + skew + ")" : "") + "; a COMMIT answer commits it a second time (consumed twice)",
                    "keep transactions shorter than the broker's transactionTimeOut (or give them CHECK_IMMUNITY_TIME_IN_SECONDS), "
                            + "and make the consumers idempotent: the broker does not deduplicate commits")
                    .with("group", b.group).with("broker", b.broker).with("checks", b.checks).with("lateMs", b.maxLateMs)
                    .with("skewMs", b.skewMs).with("example", b.example);
        }
        return Finding.of("transactions", TransactionsFeature.UNEXPECTED_CHECK, Severity.WARN, b.group + "|" + b.broker,
                "broker " + b.broker + " sent producer group " + b.group + " " + n + " for transactions this JVM had already ended "
                        + "(COMMIT or ROLLBACK sent, up to " + b.maxLateMs + " ms before the check): "
                        + (skew != null ? skew : "the end, sent one-way, never reached the broker or came late (a busy or restarting broker, a closed connection)")
                        + "; the checker's answer decides them again, and a check answered COMMIT after a COMMIT the broker did get is delivered twice",
                skew != null ? "sync this host's clock (chrony/NTP) with the brokers'"
                        : "look at broker " + b.broker + "'s health when the ends were sent (brokerbusy.*, store.slow-put, remoting.*); "
                        + "a checker must answer from the transaction's recorded outcome")
                .with("group", b.group).with("broker", b.broker).with("checks", b.checks).with("lateMs", b.maxLateMs)
                .with("skewMs", b.skewMs).with("example", b.example);
    }

    static void reset() {
        batches.clear();
        topics.clear();
        for (int i = 0; i < SLOTS; i++) {
            endedIds.set(i, null);
            checkedRunning.set(i, null);
        }
    }
}
