package io.rocketmqdoctor.advices.consumer;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.ArrayList;
import java.util.List;

/**
 * What a listener call that does not return costs, read from its ConsumeMessageConcurrentlyService
 * .ConsumeRequest on the agent's thread: the thread's stack, and the queue it pins. A concurrently consumed queue
 * commits the offset of its oldest message still in the ProcessQueue, so one stuck message holds the committed offset
 * of its whole queue (apache/rocketmq #1037): a restart re-consumes everything behind it. Past consumeTimeout
 * (15 min by default) RocketMQ's expiry sweep sends that oldest message back to the broker while the listener still
 * runs it, and it is consumed a second time (#1600).
 */
final class StuckCall {
    private StuckCall() {}

    static void stuck(Thread t, Object request, long millis) throws Exception {
        List<String> stack = new ArrayList<String>();
        for (StackTraceElement e : t.getStackTrace()) {
            if (stack.size() >= 20) break;
            stack.add(e.toString());
        }
        String waitsOn = stack.isEmpty() ? "?" : stack.get(0);
        Object queue = Reflect.field(request, "messageQueue");
        Object pq = Reflect.field(request, "processQueue");
        long offset = firstOffset(request);
        long cached = PushConsumerReads.cachedMessages(pq);
        Object committed = PushConsumerReads.committedOffset(impl(request), queue);
        String holds = orderly(request)
                ? "its queue " + queue + " consumes nothing else until it returns (orderly), " + cached + " messages waiting"
                : "its message (offset " + offset + ") holds the committed offset of " + queue + (committed == null ? "" : " at " + committed)
                        + " until it returns (" + cached + " of the queue's messages cached, this one included)";
        Finding f = Finding.of("consumer", ConsumerFeature.LISTENER_STUCK, Severity.WARN, t.getName() + millis / 600_000,
                "consume thread " + t.getName() + " has been in one listener call for " + millis / 1000 + " s (" + t.getState()
                        + " at " + waitsOn + "); " + holds,
                "fix what the stack waits on (a database, a lock, an HTTP call without a timeout); give the listener timeouts")
                .with("group", group(request)).with("thread", t.getName()).with("state", String.valueOf(t.getState())).with("runningMs", millis)
                .with("queue", String.valueOf(queue)).with("messageOffset", offset).with("committedOffset", committed)
                .with("cachedMessages", cached).with("stack", stack);
        Findings.report(f);
    }

    static void pastTimeout(Thread t, Object request, long millis, long timeoutMinutes) throws Exception {
        Object queue = Reflect.field(request, "messageQueue");
        Object first = firstMessage(request);
        Findings.report(Finding.of("consumer", ConsumerFeature.CONSUME_TIMEOUT, Severity.WARN, t.getName() + "|" + queue,
                "consume thread " + t.getName() + " has run one listener call of " + queue + " for " + millis / 1000 + " s, past consumeTimeout ("
                        + timeoutMinutes + " min): RocketMQ's expiry sweep, every consumeTimeout, sends the queue's oldest message back to "
                        + "the broker while the listener still runs it, so it will be consumed twice (apache/rocketmq #1600)",
                "make the listener return within consumeTimeout (timeouts on what it waits for) or raise consumeTimeout; make it idempotent")
                .with("group", group(request)).with("thread", t.getName()).with("queue", String.valueOf(queue)).with("runningMs", millis)
                .with("consumeTimeoutMinutes", timeoutMinutes).with("messageOffset", firstOffset(request))
                .with("msgId", first == null ? null : String.valueOf(Reflect.call(first, "getMsgId"))));
    }

    /** The consumer's consumeTimeout (minutes, DefaultMQPushConsumer) in nanoseconds; 0 if it cannot be read, or for an
     *  orderly call: the expiry sweep skips orderly consumers. */
    static long consumeTimeoutNanos(Object request) {
        if (orderly(request)) return 0;
        try {
            Object push = Reflect.field(Reflect.field(request, "this$0"), "defaultMQPushConsumer");
            return ((Number) Reflect.call(push, "getConsumeTimeout")).longValue() * 60_000_000_000L;
        } catch (Exception e) {
            return 0;
        }
    }

    private static Object impl(Object request) throws Exception {
        return Reflect.field(Reflect.field(request, "this$0"), "defaultMQPushConsumerImpl");
    }

    private static String group(Object request) throws Exception {
        return String.valueOf(Reflect.field(Reflect.field(request, "this$0"), "consumerGroup"));
    }

    private static boolean orderly(Object request) {
        return request.getClass().getName().startsWith(ConsumerFeature.ORDERLY);
    }

    /** A concurrent call's first message; an orderly request keeps its batch in a local variable: null. */
    private static Object firstMessage(Object request) throws Exception {
        if (orderly(request)) return null;
        List<?> msgs = (List<?>) Reflect.field(request, "msgs");
        return msgs == null || msgs.isEmpty() ? null : msgs.get(0);
    }

    private static long firstOffset(Object request) throws Exception {
        Object m = firstMessage(request);
        return m == null ? -1 : ((Number) Reflect.call(m, "getQueueOffset")).longValue();
    }
}
