package org.apache.rocketmq.client.consumer.rebalance;

import org.apache.rocketmq.client.consumer.AllocateMessageQueueStrategy;

import org.apache.rocketmq.common.message.MessageQueue;

import java.util.ArrayList;
import java.util.List;

/** Bench stand-in strategy: contiguous blocks by the id's index in the sorted list, as averaging allocation does. */
public class AllocateMessageQueueAveragely implements AllocateMessageQueueStrategy {
    @Override
    public List<MessageQueue> allocate(String group, String currentCID, List<MessageQueue> mqAll, List<String> cidAll) {
        int index = cidAll.indexOf(currentCID);
        List<MessageQueue> r = new ArrayList<MessageQueue>();
        if (index < 0) return r;
        int n = cidAll.size();
        for (int i = 0; i < mqAll.size(); i++) if (i * n / mqAll.size() == index) r.add(mqAll.get(i));
        return r;
    }

    @Override
    public String getName() { return "BY_INDEX"; }
}
