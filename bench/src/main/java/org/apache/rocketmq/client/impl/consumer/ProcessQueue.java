package org.apache.rocketmq.client.impl.consumer;

import java.util.Collections;
import java.util.List;

/** Bench stand-in: a ProcessQueue that always hands out the same one-message batch. */
public class ProcessQueue {
    private static final List<Object> BATCH = Collections.singletonList(new Object());

    public List<Object> takeMessages(int batchSize) {
        return BATCH;
    }
}
