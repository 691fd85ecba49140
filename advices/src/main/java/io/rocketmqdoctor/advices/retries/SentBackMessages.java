package io.rocketmqdoctor.advices.retries;

import io.rocketmqdoctor.advices.Gathering;
import io.rocketmqdoctor.advices.Handles;
import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.histo.Counters;

import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Messages a push consumer sends back for another delivery, by group, topic and cause (what the listener threw, or
 * RECONSUME_LATER), those that go to the dead-letter topic with the last cause, and orderly messages retried in
 * place past a count. A failure path: a healthy listener never gets here.
 */
public final class SentBackMessages {
    static final String RECONSUME_LATER = "RECONSUME_LATER";
    private static final String SENT_HELP = "messages a push consumer sent back for another delivery, by group, topic and cause";
    private static final String DELIVERIES_HELP = "messages a push consumer's listener failed, by group and by the delivery that failed "
            + "(1, 2, 3-4, 5-8, 9-16, 17+): a histogram of reconsume counts";
    /** Upper bounds of the delivery buckets (the last is open). */
    private static final long[] DELIVERY_BOUNDS = {1, 2, 4, 8, 16};
    private static final String[] DELIVERY_LABELS = {"1", "2", "3-4", "5-8", "9-16", "17+"};
    private static final String DLQ_HELP = "messages a push consumer sent to its dead-letter topic (%DLQ%group), by group and topic";
    private static final ClassValue<MethodHandle> RECONSUME_TIMES = Handles.longGetter("getReconsumeTimes");
    /** Concurrent consumers: maxReconsumeTimes -1 is 16 (DefaultMQPushConsumerImpl.getMaxReconsumeTimes). */
    static final int DEFAULT_MAX = 16;

    static volatile long orderlyLimit = 16;
    private static final Gathering<Batch> batches = new Gathering<Batch>(256);

    private SentBackMessages() {}

    private static final class Batch {
        final String group;
        final String topic;
        final String cause;
        final boolean deadLetter;
        long messages;
        String example;
        String lastThrown;
        long maxTimes;

        Batch(String group, String topic, String cause, boolean deadLetter) {
            this.group = group;
            this.topic = topic;
            this.cause = cause;
            this.deadLetter = deadLetter;
        }
    }

    /** The cause's label: the thrown class's name, or RECONSUME_LATER (also a null return: RocketMQ makes it that). */
    static String cause(Throwable t) {
        return t == null ? RECONSUME_LATER : t.getClass().getName();
    }

    public static void sentBack(String group, Object consumer, Object msg, Object context) throws Throwable {
        long times = (long) RECONSUME_TIMES.get(msg.getClass()).invokeExact(msg);
        int max = ((Number) Reflect.call(consumer, "getMaxReconsumeTimes")).intValue();
        if (max == -1) max = DEFAULT_MAX;
        failedDelivery(group, times);
        // the broker's rule (consumerSendMsgBack): reconsumeTimes >= maxReconsumeTimes, or a delay level below 0 (the
        // listener's own choice), goes to %DLQ%group
        boolean direct = context != null && ((Number) Reflect.call(context, "getDelayLevelWhenNextConsume")).intValue() < 0;
        record(group, String.valueOf(Reflect.call(msg, "getTopic")), times, times >= max || direct, max, msg);
    }

    /** An orderly call failed: each message is retried in place up to the consumer's maxReconsumeTimes (-1: forever). */
    public static void orderlyFailed(Object service, String group, List<?> msgs) throws Throwable {
        int max = ((Number) Reflect.call(service, "getMaxReconsumeTimes")).intValue();
        for (Object msg : msgs) {
            long times = (long) RECONSUME_TIMES.get(msg.getClass()).invokeExact(msg);
            String topic = String.valueOf(Reflect.call(msg, "getTopic"));
            failedDelivery(group, times);
            // retried in place, not sent back; past max it is sent to %RETRY% and on to %DLQ% by the broker
            if (times >= max) record(group, topic, times, true, max, msg);
            else if (times + 1 == orderlyLimit && times < max) OrderlyStuck.report(group, topic, msg, times + 1, max, ListenerFailures.thrown());
        }
    }

    private static void record(String group, String topic, long times, boolean deadLetter, int max, Object msg) {
        Throwable t = ListenerFailures.thrown();
        String cause = cause(t);
        Counters.get(RetriesFeature.SENT_BACK, SENT_HELP, "group", group, "topic", topic, "cause", cause).increment();
        if (deadLetter) Counters.get(RetriesFeature.DEAD_LETTERED, DLQ_HELP, "group", group, "topic", topic).increment();
        synchronized (batches) {
            String key = group + "|" + topic + "|" + (deadLetter ? "dlq" : cause);
            Batch b = batches.touch(key);
            if (b == null) {
                b = new Batch(group, topic, cause, deadLetter);
                if (!batches.start(key, b)) return;
            }
            b.messages++;
            b.maxTimes = Math.max(b.maxTimes, deadLetter ? max : times + 1);
            if (b.example == null) b.example = describe(msg);
            b.lastThrown = t == null ? "returned RECONSUME_LATER (or null)" : "threw " + t.getClass().getName()
                    + (t.getMessage() == null ? "" : ": " + abbreviate(t.getMessage()));
        }
    }

    private static void failedDelivery(String group, long times) {
        Counters.get(RetriesFeature.DELIVERIES, DELIVERIES_HELP, "group", group, "deliveries", deliveryBucket(times + 1)).increment();
    }

    /** The bucket of a failed delivery's number (a message's reconsume count + 1). */
    static String deliveryBucket(long delivery) {
        for (int i = 0; i < DELIVERY_BOUNDS.length; i++) if (delivery <= DELIVERY_BOUNDS[i]) return DELIVERY_LABELS[i];
        return DELIVERY_LABELS[DELIVERY_LABELS.length - 1];
    }

    static String describe(Object msg) {
        try {
            Object keys = Reflect.call(msg, "getKeys");
            return "msgId " + Reflect.call(msg, "getMsgId") + (keys == null ? "" : ", keys " + keys);
        } catch (Exception e) {
            return "?";
        }
    }

    static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    /** Each interval: one finding per group, topic and cause (dead-lettered messages apart). */
    static void report() {
        for (Batch b : batches.ripe()) Findings.report(b.deadLetter ? deadLettered(b) : sentBack(b));
    }

    private static Finding sentBack(Batch b) {
        return Finding.of("retries", RetriesFeature.SENT_BACK_FINDING, Severity.INFO, b.group + "|" + b.topic + "|" + b.cause,
                "consumer group " + b.group + " sent " + b.messages + " message" + (b.messages == 1 ? "" : "s") + " of topic " + b.topic
                        + " back for another delivery because the listener " + b.lastThrown + " (e.g. " + b.example
                        + "; up to " + b.maxTimes + (b.maxTimes == 1 ? " delivery" : " deliveries") + " each so far)",
                "each such message comes back through %RETRY%" + b.group + " after a growing delay; if the cause will not pass, "
                        + "handle it in the listener rather than send the message back")
                .with("group", b.group).with("topic", b.topic).with("cause", b.cause).with("messages", b.messages)
                .with("example", b.example);
    }

    private static Finding deadLettered(Batch b) {
        return Finding.of("retries", RetriesFeature.DEAD_LETTERED_FINDING, Severity.WARN, b.group + "|" + b.topic,
                "consumer group " + b.group + " gave up on " + b.messages + " message" + (b.messages == 1 ? "" : "s") + " of topic " + b.topic
                        + " after " + (b.maxTimes + 1) + " deliveries (maxReconsumeTimes " + b.maxTimes + "): sent to the dead-letter topic %DLQ%" + b.group
                        + ", which nothing consumes unless someone does; the last time, the listener " + b.lastThrown + " (e.g. " + b.example + ")",
                "fix what the listener fails on; then send the messages of %DLQ%" + b.group + " again (a consumer of that topic, or "
                        + "mqadmin queryMsgById and resend), or accept them lost")
                .with("group", b.group).with("topic", b.topic).with("cause", b.cause).with("messages", b.messages)
                .with("maxReconsumeTimes", b.maxTimes).with("example", b.example);
    }

    static void reset() {
        batches.clear();
    }
}
