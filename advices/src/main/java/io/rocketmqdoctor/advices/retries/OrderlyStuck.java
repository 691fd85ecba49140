package io.rocketmqdoctor.advices.retries;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

/**
 * An orderly consumer retries a failing message in place, and its queue waits behind it: with maxReconsumeTimes left at
 * -1 an orderly consumer retries forever (Integer.MAX_VALUE, apache/rocketmq #6163), once a second by default.
 */
final class OrderlyStuck {
    private OrderlyStuck() {}

    static void report(String group, String topic, Object msg, long deliveries, int max, Throwable thrown) {
        String queue;
        try {
            queue = String.valueOf(Reflect.call(msg, "getQueueId"));
        } catch (Exception e) {
            queue = "?";
        }
        String forever = max == Integer.MAX_VALUE
                ? "its maxReconsumeTimes is unset (-1), which for an orderly consumer means forever"
                : "it retries up to maxReconsumeTimes " + max + " before the message goes to %DLQ%" + group;
        Findings.report(Finding.of("retries", RetriesFeature.ORDERLY_STUCK, Severity.WARN, group + "|" + topic + "|" + queue,
                "orderly consumer group " + group + " has delivered a message of topic " + topic + " queue " + queue + " " + deliveries
                        + " times (" + SentBackMessages.describe(msg) + "); every later message of that queue waits behind it, and "
                        + forever + "; the listener " + (thrown == null ? "returned SUSPEND_CURRENT_QUEUE_A_MOMENT (or null)"
                        : "threw " + thrown.getClass().getName() + (thrown.getMessage() == null ? "" : ": " + SentBackMessages.abbreviate(thrown.getMessage()))),
                "fix what the listener fails on; set maxReconsumeTimes on the orderly consumer so that a message that cannot be "
                        + "consumed goes to %DLQ%" + group + " instead of holding its queue")
                .with("group", group).with("topic", topic).with("queue", queue).with("deliveries", deliveries)
                .with("maxReconsumeTimes", max == Integer.MAX_VALUE ? "forever" : String.valueOf(max)));
    }
}
