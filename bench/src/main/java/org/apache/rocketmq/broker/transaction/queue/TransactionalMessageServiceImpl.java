package org.apache.rocketmq.broker.transaction.queue;

import org.apache.rocketmq.store.MessageExtBrokerInner;

/** Bench stand-in: a half message's put (4.9.7's async path), answered at once. */
public class TransactionalMessageServiceImpl {
    private final Object result = new Object();

    public Object asyncPrepareMessage(MessageExtBrokerInner messageInner) {
        return result;
    }
}
