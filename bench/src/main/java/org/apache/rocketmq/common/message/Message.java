package org.apache.rocketmq.common.message;

/** Stand-in: the member brokerbusy reads of a send's message (only on a SYSTEM_BUSY answer). */
public class Message {
    private final String topic;

    public Message(String topic) {
        this.topic = topic;
    }

    public String getTopic() {
        return topic;
    }
}
