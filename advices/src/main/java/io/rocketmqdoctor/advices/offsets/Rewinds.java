package io.rocketmqdoctor.advices.offsets;

import io.rocketmqdoctor.advices.Gathering;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.histo.Counters;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Offsets that moved backward, by group, topic and cause, gathered over an interval and told once per group, topic
 * and cause with the queues they touched and how many messages they deliver again. Cold: the advices call in only
 * for an offset that moved backward.
 */
public final class Rewinds {
    /** Why an offset moved backward: the words an operator reads, and the remedy. */
    public enum Cause {
        OVERFLOW_TO_ZERO("overflow-correction",
                "asked for an offset past the queue's end, and the broker moved it to the queue's start (0): brokers up to 4.9.3 "
                        + "correct an offset past the end to the queue's min offset when that is 0 (apache/rocketmq #4215, fixed in 4.9.4 by #4219)",
                "offsets.fix=true on this broker moves such an offset to the queue's end, as 4.9.4+ does (or upgrade the broker); then find "
                        + "why the group's offset was past the end (a consume queue lost or rebuilt, an offset set by hand); if the queue "
                        + "was emptied and written again since, the end skips what was written since, as on 4.9.4+"),
        PAST_END("past-end",
                "asked for an offset past the queue's end, and the broker moved it to the end: nothing is delivered again, but the "
                        + "group's offset was wrong",
                "find why the group's offset was past the queue's end: a consume queue lost or rebuilt, a broker replaced under the same "
                        + "name, an offset set by hand"),
        NO_MESSAGE_IN_QUEUE("no-message-in-queue",
                "asked for an offset in a queue that holds no message, and the broker moved it to 0: the queue's store was emptied "
                        + "(a store wiped or lost, a topic deleted and created again, a broker replaced under the same name); every "
                        + "message written to the queue from now on is consumed, the old offset is gone",
                "find why the broker's store lost this queue; offsets cannot be kept when the messages are gone"),
        LOWER_COMMIT("lower-commit",
                "committed an offset lower than the one the broker stored, and no higher commit replaced it within 15 s: a consumer "
                        + "with an older view of the queue (a restarted consumer, an offset store of its own, a consumer that lost the "
                        + "queue and kept committing) or a reset; whoever reads the queue's offset next starts there",
                "if no one reset this group's offsets: look for two consumers of the group holding the queue at once "
                        + "(twins.*, rebalance.*) and for consumers committing after a rebalance took the queue"),
        SLAVE_SYNC("slave-sync",
                "had its offset overwritten with the master's lower one by this slave's offset sync (SlaveSynchronize.syncConsumerOffset): a "
                        + "master restarted with an older consumerOffset.json hands its stale offsets to the slave (apache/rocketmq #1094)",
                "keep the master's consumerOffset.json with its store (never restore an old copy); consumers that read offsets "
                        + "from this slave will consume again from the older offset"),
        CORRECTED_BY_BROKER("broker-correction",
                "had its offset moved back by the broker's answer to a pull (PULL_OFFSET_MOVED: the offset was outside the queue, "
                        + "or, from 5.2, an operator's reset that the broker applies)",
                "see the broker's offsets.rewind finding for the cause (an agent on the broker names it)"),
        RESET("reset",
                "had its offset reset by an operator (resetOffsetByTime, skipAccumulatedMessage)",
                "none if an operator meant it"),
        CLIENT_LOWER("lower-update",
                "set its offset lower itself (an orderly consumer's commit, a listener or tool calling updateConsumeOffset)",
                "look at what in this application sets consume offsets");

        final String id;
        final String words;
        final String remedy;

        Cause(String id, String words, String remedy) {
            this.id = id;
            this.words = words;
            this.remedy = remedy;
        }
    }

    private static final String HELP = "consumer offsets that moved backward, by group, topic and cause";
    /** A commit that follows a broker's correction within this long is that correction, not a rewind of its own. */
    private static final long CORRECTION_MEMORY_MS = 10 * 60_000L;

    static volatile long threshold = 1000;
    private static final Object LOCK = new Object();
    private static final Gathering<Batch> batches = new Gathering<Batch>(256);
    /** group|topic|queueId of the broker's corrections: the offset it moved to, and when. */
    private static final Map<String, long[]> corrections = new LinkedHashMap<String, long[]>();

    private Rewinds() {}

    /** One group, topic and cause over one interval. */
    private static final class Batch {
        final String side;
        final String group;
        final String topic;
        final Cause cause;
        final String peer;
        final Map<Integer, String> queues = new TreeMap<Integer, String>();
        long redelivered;
        long events;

        Batch(String side, String group, String topic, Cause cause, String peer) {
            this.side = side;
            this.group = group;
            this.topic = topic;
            this.cause = cause;
            this.peer = peer;
        }
    }

    /**
     * An offset of {@code group} for {@code topic} queue {@code queueId} moved from {@code from} to {@code to};
     * {@code queueMax} is the queue's max offset (-1 when not known), which bounds what is delivered again.
     */
    static void moved(String side, String group, String topic, int queueId, long from, long to, long queueMin, long queueMax,
                      Cause cause, String peer) {
        if (internal(group, topic)) return;
        // an operator's reset through this broker, for this group and topic, in the last minutes: the commits that follow it
        if ("broker".equals(side) && (cause == Cause.LOWER_COMMIT || cause == Cause.SLAVE_SYNC) && resetRecently(group, topic)) {
            cause = Cause.RESET;
        }
        if (cause != Cause.OVERFLOW_TO_ZERO && cause != Cause.PAST_END && cause != Cause.NO_MESSAGE_IN_QUEUE
                && cause != Cause.CORRECTED_BY_BROKER && !"client".equals(side) && followsCorrection(group, topic, queueId, to)) {
            return;
        }
        long upTo = queueMax >= 0 ? Math.min(from, queueMax) : from;
        long again = Math.max(0, upTo - to);
        Counters.get(OffsetsFeature.REWINDS, HELP, "group", group, "topic", topic, "cause", cause.id).increment();
        synchronized (LOCK) {
            if ("broker".equals(side) && (cause == Cause.OVERFLOW_TO_ZERO || cause == Cause.NO_MESSAGE_IN_QUEUE || cause == Cause.PAST_END)) {
                corrections.put(group + "|" + topic + "|" + queueId, new long[]{to, System.currentTimeMillis()});
            }
        }
        synchronized (batches) {
            String key = side + "|" + group + "|" + topic + "|" + cause.id;
            Batch b = batches.touch(key);
            if (b == null) {
                b = new Batch(side, group, topic, cause, peer);
                if (!batches.start(key, b)) return;
            }
            b.events++;
            String before = b.queues.get(queueId);
            String now = from + "->" + to + (queueMax >= 0 ? " (queue " + Math.max(0, queueMin) + ".." + queueMax + ")" : "");
            if (before == null) b.redelivered += again;
            else if (!before.equals(now)) b.redelivered += again;
            b.queues.put(queueId, now);
        }
    }

    private static boolean followsCorrection(String group, String topic, int queueId, long to) {
        synchronized (LOCK) {
            long[] c = corrections.get(group + "|" + topic + "|" + queueId);
            return c != null && c[0] == to && System.currentTimeMillis() - c[1] < CORRECTION_MEMORY_MS;
        }
    }

    /** Each interval: one finding per group, topic and cause seen since the last. */
    static void report() {
        List<Batch> now;
        synchronized (batches) {
            now = batches.ripe();
        }
        synchronized (LOCK) {
            long old = System.currentTimeMillis() - CORRECTION_MEMORY_MS;
            for (Iterator<long[]> i = corrections.values().iterator(); i.hasNext(); ) {
                if (i.next()[1] < old) i.remove();
            }
        }
        for (Batch b : now) Findings.report(finding(b));
    }

    /**
     * By what is consumed again; but a reset is meant, a client's broker-correction is told with its cause by the broker
     * (and from 5.2 is also how a broker applies a reset), a client's own lower update is mostly the application's wish
     * (a seek, a committed() read that loads the stored offset; one that lasts is the broker's lower-commit), and a
     * slave's sync under the threshold is a master restarted with offsets a few seconds old (it persists them every
     * 5 s): those are infos.
     */
    static Severity severity(Batch b) {
        boolean quiet = b.cause == Cause.RESET || b.cause == Cause.CORRECTED_BY_BROKER || b.cause == Cause.CLIENT_LOWER
                || b.cause == Cause.SLAVE_SYNC && b.redelivered < threshold;
        if (quiet) return Severity.INFO;
        return b.redelivered >= threshold ? Severity.ERROR : b.redelivered > 0 ? Severity.WARN : Severity.INFO;
    }

    /** RocketMQ's own groups and topics (5.x's pop revive group, the transaction and schedule topics): not a consumer's. */
    static boolean internal(String group, String topic) {
        return group.startsWith("CID_RMQ_SYS") || group.startsWith("CID_SYS_RMQ") || topic.startsWith("rmq_sys_")
                || topic.startsWith("RMQ_SYS_") || topic.equals("SCHEDULE_TOPIC_XXXX") || topic.equals("TRANS_CHECK_MAX_TIME_TOPIC");
    }

    private static final long RESET_MEMORY_MS = 5 * 60_000L;
    /** group|topic of the resets asked of this broker, and when. */
    private static final Map<String, Long> resets = new java.util.concurrent.ConcurrentHashMap<String, Long>();

    static void resetRequested(String group, String topic) {
        if (resets.size() < 10_000) resets.put(group + "|" + topic, System.currentTimeMillis());
    }

    private static boolean resetRecently(String group, String topic) {
        Long at = resets.get(group + "|" + topic);
        return at != null && System.currentTimeMillis() - at < RESET_MEMORY_MS;
    }

    static Finding finding(Batch b) {
        Severity s = severity(b);
        String who = "broker".equals(b.side) ? "consumer group " + b.group + " (topic " + b.topic + ")"
                : "this consumer (group " + b.group + ", topic " + b.topic + ")";
        String msg = who + " " + b.cause.words + ": queue" + (b.queues.size() == 1 ? " " : "s ") + b.queues
                + (b.peer == null ? "" : ", from " + b.peer) + "; " + (b.redelivered > 0
                ? b.redelivered + " message" + (b.redelivered == 1 ? " is" : "s are") + " consumed again"
                : "no message is consumed again");
        return Finding.of("offsets", OffsetsFeature.REWIND, s, b.side + "|" + b.group + "|" + b.topic + "|" + b.cause.id, msg, b.cause.remedy)
                .with("side", b.side).with("group", b.group).with("topic", b.topic).with("cause", b.cause.id)
                .with("queues", b.queues.toString()).with("redelivered", b.redelivered).with("events", b.events)
                .with("threshold", threshold);
    }

    static void reset() {
        batches.clear();
        resets.clear();
        synchronized (LOCK) {
            corrections.clear();
        }
    }
}
