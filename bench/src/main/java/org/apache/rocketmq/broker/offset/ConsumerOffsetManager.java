package org.apache.rocketmq.broker.offset;

import org.apache.rocketmq.broker.BrokerController;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Bench stand-in: a consumer's commit as the broker stores it (topic@group, queue id, offset), as in 4.9.7. */
public class ConsumerOffsetManager {
    private static final String TOPIC_GROUP_SEPARATOR = "@";
    protected ConcurrentMap<String, ConcurrentMap<Integer, Long>> offsetTable = new ConcurrentHashMap<>(512);
    protected transient BrokerController brokerController = new BrokerController();

    public void commitOffset(final String clientHost, final String group, final String topic, final int queueId, final long offset) {
        commitOffset(clientHost, topic + TOPIC_GROUP_SEPARATOR + group, queueId, offset);
    }

    private void commitOffset(final String clientHost, final String key, final int queueId, final long offset) {
        ConcurrentMap<Integer, Long> map = this.offsetTable.get(key);
        if (null == map) {
            map = new ConcurrentHashMap<>(32);
            map.put(queueId, offset);
            this.offsetTable.put(key, map);
        } else {
            map.put(queueId, offset);
        }
    }

    public long queryOffset(final String group, final String topic, final int queueId) {
        ConcurrentMap<Integer, Long> map = this.offsetTable.get(topic + TOPIC_GROUP_SEPARATOR + group);
        Long offset = map == null ? null : map.get(queueId);
        return offset == null ? -1 : offset;
    }

    public ConcurrentMap<String, ConcurrentMap<Integer, Long>> getOffsetTable() { return offsetTable; }
}
