package org.apache.rocketmq.client.consumer;

import org.apache.rocketmq.common.message.MessageQueue;

import java.util.List;

/** Bench stand-in for RocketMQ's allocation strategy interface. */
public interface AllocateMessageQueueStrategy {
    List<MessageQueue> allocate(String consumerGroup, String currentCID, List<MessageQueue> mqAll, List<String> cidAll);

    String getName();
}
