package org.apache.rocketmq.common.message;

/** Bench stand-in: a queue of a topic on a broker, ordered as RocketMQ orders them. */
public class MessageQueue implements Comparable<MessageQueue> {
    private final String topic;
    private final String brokerName;
    private final int queueId;

    public MessageQueue(String topic, String brokerName, int queueId) {
        this.topic = topic;
        this.brokerName = brokerName;
        this.queueId = queueId;
    }

    public String getTopic() { return topic; }

    public String getBrokerName() { return brokerName; }

    public int getQueueId() { return queueId; }

    @Override
    public int compareTo(MessageQueue o) {
        int c = topic.compareTo(o.topic);
        if (c != 0) return c;
        c = brokerName.compareTo(o.brokerName);
        return c != 0 ? c : Integer.compare(queueId, o.queueId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageQueue && compareTo((MessageQueue) o) == 0;
    }

    @Override
    public int hashCode() { return (topic.hashCode() * 31 + brokerName.hashCode()) * 31 + queueId; }
}
