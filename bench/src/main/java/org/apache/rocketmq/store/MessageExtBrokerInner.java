package org.apache.rocketmq.store;

import org.apache.rocketmq.common.message.MessageExt;

/** Bench stand-in: a message as the broker puts it (4.x's package). */
public class MessageExtBrokerInner extends MessageExt {
    public MessageExtBrokerInner(String topic) {
        super(topic);
    }
}
