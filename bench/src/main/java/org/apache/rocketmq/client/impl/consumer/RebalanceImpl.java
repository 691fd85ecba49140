package org.apache.rocketmq.client.impl.consumer;

import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely;
import org.apache.rocketmq.client.consumer.AllocateMessageQueueStrategy;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.common.message.MessageQueue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Bench stand-in with RebalanceImpl's fields and the two calls of a clustering rebalance that the agent
 * intercepts (MQClientInstance.findConsumerIdList, updateProcessQueueTableInRebalance), without the network.
 */
public class RebalanceImpl {
    protected final ConcurrentMap<String, Set<MessageQueue>> topicSubscribeInfoTable = new ConcurrentHashMap<String, Set<MessageQueue>>();
    protected String consumerGroup = "bench-group";
    protected AllocateMessageQueueStrategy allocateMessageQueueStrategy = new AllocateMessageQueueAveragely();
    protected MQClientInstance mQClientFactory = new MQClientInstance();

    public RebalanceImpl() {
        Set<MessageQueue> queues = new HashSet<MessageQueue>();
        for (int i = 0; i < 8; i++) queues.add(new MessageQueue("BenchTopic", "broker-a", i));
        topicSubscribeInfoTable.put("BenchTopic", queues);
    }

    public boolean rebalanceByTopic(String topic) {
        List<String> cidAll = mQClientFactory.findConsumerIdList(topic, consumerGroup);
        List<MessageQueue> mqAll = new ArrayList<MessageQueue>(topicSubscribeInfoTable.get(topic));
        Collections.sort(mqAll);
        Collections.sort(cidAll);
        Set<MessageQueue> mine = new HashSet<MessageQueue>(
                allocateMessageQueueStrategy.allocate(consumerGroup, mQClientFactory.getClientId(), mqAll, cidAll));
        return updateProcessQueueTableInRebalance(topic, mine, false);
    }

    private boolean updateProcessQueueTableInRebalance(String topic, Set<MessageQueue> mqSet, boolean isOrder) {
        return !mqSet.isEmpty();
    }
}
