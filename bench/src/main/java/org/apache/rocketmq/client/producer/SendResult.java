package org.apache.rocketmq.client.producer;

import org.apache.rocketmq.common.message.MessageQueue;

/** Bench stand-in: a half message's send result. */
public class SendResult {
    private final MessageQueue queue = new MessageQueue("BenchTx", "broker-a", 0);

    public String getMsgId() { return "7F00000100002A9F0000000000000001"; }
    public MessageQueue getMessageQueue() { return queue; }
}
