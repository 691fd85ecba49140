package org.apache.rocketmq.client.consumer.store;

import org.apache.rocketmq.common.message.MessageQueue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** Bench stand-in: a consumer's offset of a queue kept in memory, as 4.9.7 keeps it. */
public class RemoteBrokerOffsetStore {
    private final String groupName = "bench-group";
    private ConcurrentMap<MessageQueue, AtomicLong> offsetTable = new ConcurrentHashMap<>();

    public void updateOffset(MessageQueue mq, long offset, boolean increaseOnly) {
        AtomicLong offsetOld = this.offsetTable.get(mq);
        if (null == offsetOld) offsetOld = this.offsetTable.putIfAbsent(mq, new AtomicLong(offset));
        if (null != offsetOld) {
            if (increaseOnly) {
                long prev;
                do {
                    prev = offsetOld.get();
                } while (offset > prev && !offsetOld.compareAndSet(prev, offset));
            } else {
                offsetOld.set(offset);
            }
        }
    }
}
