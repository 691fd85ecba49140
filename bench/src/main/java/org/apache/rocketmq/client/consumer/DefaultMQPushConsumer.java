package org.apache.rocketmq.client.consumer;

/** Bench stand-in: the consumer's consumeTimeout (minutes), which the consumer feature reads for a stuck call only. */
public class DefaultMQPushConsumer {
    public long getConsumeTimeout() {
        return 15;
    }
}
