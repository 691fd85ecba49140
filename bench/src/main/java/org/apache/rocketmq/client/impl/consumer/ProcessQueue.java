package org.apache.rocketmq.client.impl.consumer;

import java.util.Collections;
import java.util.List;

/** Bench stand-in: a ProcessQueue that always hands out the same one-message batch (and the count the feature reads). */
public class ProcessQueue {
    private static final List<Object> BATCH = Collections.singletonList(new Object());
    private final java.util.concurrent.atomic.AtomicLong msgCount = new java.util.concurrent.atomic.AtomicLong();

    public java.util.concurrent.atomic.AtomicLong getMsgCount() {
        return msgCount;
    }

    public List<Object> takeMessages(int batchSize) {
        return BATCH;
    }
}
