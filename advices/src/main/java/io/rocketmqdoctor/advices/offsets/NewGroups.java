package io.rocketmqdoctor.advices.offsets;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

/**
 * A group with no stored offset asks where to start a queue, and the broker answers 0 because the queue's first
 * message is still in memory (ConsumerManageProcessor.queryConsumerOffset: minOffset <= 0 and offset 0 in memory): RocketMQ's
 * rule for young topics, whatever the consumer's ConsumeFromWhere. By design, so an info; but a new group on a busy
 * young topic consumes everything the queue holds, which its owners did not expect.
 */
final class NewGroups {
    private NewGroups() {}

    static void started(String group, String topic, int queueId, long messages, String from) {
        Findings.report(Finding.of("offsets", OffsetsFeature.NEW_GROUP_FROM_ZERO, Severity.INFO, group + "|" + topic,
                "consumer group " + group + " has no offset for topic " + topic + " queue " + queueId + ", and the broker told it to start "
                        + "at 0, not at the queue's end: the queue's first message is still in memory (a young topic), and a new group "
                        + "starts there whatever its ConsumeFromWhere (" + from + " here); it consumes the " + messages
                        + " messages the queue holds",
                "if the group must not consume what was written before it existed: create the group's offsets before its first "
                        + "start (mqadmin resetOffsetByTime with the current time), or skip the messages in the listener by their store time")
                .with("group", group).with("topic", topic).with("queue", queueId).with("messages", messages).with("consumeFromWhere", from));
    }
}
