package org.apache.rocketmq.common.message;

/** Stand-in: the members the agent reads of a message (brokerbusy on a SYSTEM_BUSY answer, transactions, retries). */
public class Message {
    private final String topic;

    public Message(String topic) {
        this.topic = topic;
    }

    public String getTopic() {
        return topic;
    }

    public String getKeys() {
        return null;
    }

    public String getProperty(String name) {
        return null;
    }
}
