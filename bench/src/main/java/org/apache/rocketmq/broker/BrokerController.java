package org.apache.rocketmq.broker;

import org.apache.rocketmq.store.DefaultMessageStore;

/** Bench stand-in: the broker's store, which the offsets feature asks for a queue's max offset on a rewind only. */
public class BrokerController {
    private final DefaultMessageStore store = new DefaultMessageStore();

    public DefaultMessageStore getMessageStore() { return store; }
}
