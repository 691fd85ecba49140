package io.rocketmqdoctor.advices.offsets;

import io.rocketmqdoctor.advices.Handles;
import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The broker's side: a pull answered with an offset below the one asked (the store's correction), a commit lower than
 * the stored offset, a new group told to start at 0, a slave's offsets overwritten by its master's.
 */
public final class BrokerOffsets {
    private static final ClassValue<MethodHandle> NEXT = Handles.longGetter("getNextBeginOffset");
    /** QueryConsumerOffsetResponseHeader.getOffset (a Long): read on every answer to a query, so by a handle. */
    private static final ClassValue<MethodHandle> OFFSET = Handles.getter("getOffset");

    static volatile boolean fix;

    private BrokerOffsets() {}

    /** GetMessageResult.getNextBeginOffset: on every pull, so by a handle. */
    public static long next(Object result) throws Throwable {
        return (long) NEXT.get(result.getClass()).invokeExact(result);
    }

    /** A pull of {@code offset} was answered with a lower next offset: the store corrected it. */
    public static void moved(String group, String topic, int queueId, long offset, Object result) throws Exception {
        String status = String.valueOf(Reflect.call(result, "getStatus"));
        long next = ((Number) Reflect.call(result, "getNextBeginOffset")).longValue();
        long min = ((Number) Reflect.call(result, "getMinOffset")).longValue();
        long max = ((Number) Reflect.call(result, "getMaxOffset")).longValue();
        Rewinds.Cause cause;
        if ("OFFSET_OVERFLOW_BADLY".equals(status)) {
            if (next < max) {
                cause = Rewinds.Cause.OVERFLOW_TO_ZERO;
                if (fix) {
                    // apache/rocketmq #4219 (4.9.4): an offset past the end is corrected to the end, whatever the min offset
                    Reflect.call(result, "setNextBeginOffset", max);
                    fixed(group, topic, queueId, offset, next, max);
                    cause = Rewinds.Cause.PAST_END;
                    next = max;
                }
            } else {
                cause = Rewinds.Cause.PAST_END;
            }
        } else if ("NO_MESSAGE_IN_QUEUE".equals(status)) {
            cause = Rewinds.Cause.NO_MESSAGE_IN_QUEUE;
        } else {
            return;
        }
        Rewinds.moved("broker", group, topic, queueId, offset, next, min, max, cause, null);
    }

    private static void fixed(String group, String topic, int queueId, long offset, long wouldBe, long max) {
        Findings.report(Finding.of("offsets", OffsetsFeature.OVERFLOW_FIXED, Severity.INFO, group + "|" + topic,
                "offsets.fix: consumer group " + group + " asked topic " + topic + " queue " + queueId + " for offset " + offset
                        + ", past the queue's end " + max + "; this broker would have moved it to " + wouldBe
                        + " (its correction up to 4.9.3), and moved it to the end instead, as 4.9.4+ does: "
                        + Math.max(0, max - wouldBe) + " messages not consumed again",
                "find why the group's offset was past the queue's end (a consume queue lost or rebuilt, an offset set by hand)")
                .with("group", group).with("topic", topic).with("queue", queueId).with("asked", offset)
                .with("correctedTo", max).with("insteadOf", wouldBe));
    }

    /** A commit lower than the stored offset ({@code key} is topic@group). */
    public static void lowerCommit(Object manager, Map<?, ?> table, String clientHost, String key, int queueId, long stored, long offset)
            throws Exception {
        if (store == null) store = Reflect.call(Reflect.field(manager, "brokerController"), "getMessageStore");
        if (key.indexOf('@') <= 0) return;
        synchronized (pending) {
            // one judgement per queue, from the highest offset the broker had stored before the lower commits
            for (LowerCommit c : pending) if (c.key.equals(key) && c.queueId == queueId && c.stored >= stored) return;
            for (Iterator<LowerCommit> i = pending.iterator(); i.hasNext(); ) {
                LowerCommit c = i.next();
                if (c.key.equals(key) && c.queueId == queueId) i.remove();
            }
            if (pending.size() < 1024) pending.add(new LowerCommit(table, clientHost, key, queueId, stored, offset));
        }
    }

    /**
     * A lower commit is judged {@link #SETTLE_MS} later: one that a higher commit has replaced by then (a consumer that
     * lost the queue in a rebalance committing once more, a pull that carried an older offset) moved nothing anyone
     * read; one still in place is a rewind, from the offset before it to the one stored now.
     */
    static final long SETTLE_MS = 15_000;
    private static final List<LowerCommit> pending = new ArrayList<LowerCommit>();

    private static final class LowerCommit {
        final Map<?, ?> table;
        final String clientHost;
        final String key;
        final int queueId;
        final long stored;
        final long offset;
        final long at = System.currentTimeMillis();

        LowerCommit(Map<?, ?> table, String clientHost, String key, int queueId, long stored, long offset) {
            this.table = table;
            this.clientHost = clientHost;
            this.key = key;
            this.queueId = queueId;
            this.stored = stored;
            this.offset = offset;
        }
    }

    /** Each interval: the lower commits old enough to judge. */
    static void settle() {
        List<LowerCommit> due = new ArrayList<LowerCommit>();
        long now = System.currentTimeMillis();
        synchronized (pending) {
            for (Iterator<LowerCommit> i = pending.iterator(); i.hasNext(); ) {
                LowerCommit c = i.next();
                if (now - c.at < SETTLE_MS) continue;
                due.add(c);
                i.remove();
            }
        }
        for (LowerCommit c : due) {
            Map<?, ?> queues = (Map<?, ?>) c.table.get(c.key);
            Object current = queues == null ? null : queues.get(c.queueId);
            if (!(current instanceof Long) || (Long) current >= c.stored) continue;
            int at = c.key.indexOf('@');
            String topic = c.key.substring(0, at);
            Rewinds.moved("broker", c.key.substring(at + 1), topic, c.queueId, c.stored, (Long) current, -1, maxOffset(topic, c.queueId),
                    Rewinds.Cause.LOWER_COMMIT, c.clientHost);
        }
    }

    static void reset() {
        synchronized (pending) {
            pending.clear();
        }
    }

    private static volatile Object store;

    private static long maxOffset(String topic, int queueId) {
        try {
            Object s = store;
            return s == null ? -1 : ((Number) Reflect.call(s, "getMaxOffsetInQueue", topic, queueId)).longValue();
        } catch (Exception e) {
            return -1;
        }
    }

    /** AdminBrokerProcessor.resetOffset: an operator's reset of a group's offsets of a topic, asked of this broker. */
    public static void resetAsked(Object request) {
        Map<String, String> fields = ((RemotingCommand) request).getExtFields();
        if (fields != null && fields.get("group") != null && fields.get("topic") != null) {
            Rewinds.resetRequested(fields.get("group"), fields.get("topic"));
        }
    }

    /** The answer to a QUERY_CONSUMER_OFFSET: 0 for a group with no offset is RocketMQ's "young queue" rule. */
    public static void queried(Object broker, Object request, Object response) throws Exception {
        if (store == null) store = Reflect.call(broker, "getMessageStore");
        RemotingCommand r = (RemotingCommand) response;
        if (r == null || r.getCode() != 0 || r.readCustomHeader() == null) return;
        Object header = r.readCustomHeader();
        Object offset;
        try {
            offset = (Object) OFFSET.get(header.getClass()).invokeExact(header);
        } catch (Throwable e) {
            return;
        }
        Map<String, String> fields = ((RemotingCommand) request).getExtFields();
        if (!(offset instanceof Long) || (Long) offset != 0L || fields == null) return;
        String group = fields.get("consumerGroup");
        String topic = fields.get("topic");
        int queueId = Integer.parseInt(fields.get("queueId"));
        if (topic == null || topic.startsWith("%RETRY%") || topic.startsWith("%DLQ%")) return;
        Object offsets = Reflect.call(broker, "getConsumerOffsetManager");
        if (((Number) Reflect.call(offsets, "queryOffset", group, topic, queueId)).longValue() >= 0) return;
        long max = maxOffset(topic, queueId);
        if (max <= 0) return;
        // a group that asked for the first offset got what it asked for
        String from = consumeFromWhere(broker, group);
        if (from.contains("FIRST")) return;
        NewGroups.started(group, topic, queueId, max, from);
    }

    /** The group's ConsumeFromWhere as its consumers' heartbeats gave it ("unknown" when none has). */
    private static String consumeFromWhere(Object broker, String group) {
        try {
            Object info = Reflect.call(Reflect.call(broker, "getConsumerManager"), "getConsumerGroupInfo", group);
            return info == null ? "unknown" : String.valueOf(Reflect.call(info, "getConsumeFromWhere"));
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** The slave's offsets before the master's are copied over them (every 10 s on a slave). */
    public static Object beforeSlaveSync(Object broker) throws Exception {
        if (store == null) store = Reflect.call(broker, "getMessageStore");
        Map<?, ?> table = (Map<?, ?>) Reflect.call(Reflect.call(broker, "getConsumerOffsetManager"), "getOffsetTable");
        Map<Object, Map<?, ?>> copy = new HashMap<Object, Map<?, ?>>();
        for (Map.Entry<?, ?> e : table.entrySet()) copy.put(e.getKey(), new HashMap<Object, Object>((Map<?, ?>) e.getValue()));
        return copy;
    }

    public static void afterSlaveSync(Object broker, Object before) throws Exception {
        if (!(before instanceof Map)) return;
        Map<?, ?> table = (Map<?, ?>) Reflect.call(Reflect.call(broker, "getConsumerOffsetManager"), "getOffsetTable");
        for (Map.Entry<?, ?> e : ((Map<?, ?>) before).entrySet()) {
            Map<?, ?> now = (Map<?, ?>) table.get(e.getKey());
            if (now == null) continue;
            String key = String.valueOf(e.getKey());
            int at = key.indexOf('@');
            if (at <= 0) continue;
            for (Map.Entry<?, ?> q : ((Map<?, ?>) e.getValue()).entrySet()) {
                Object after = now.get(q.getKey());
                if (after instanceof Long && q.getValue() instanceof Long && (Long) after < (Long) q.getValue()) {
                    String topic = key.substring(0, at);
                    int queueId = (Integer) q.getKey();
                    Rewinds.moved("broker", key.substring(at + 1), topic, queueId, (Long) q.getValue(), (Long) after, -1,
                            maxOffset(topic, queueId), Rewinds.Cause.SLAVE_SYNC, "the master");
                }
            }
        }
    }
}
