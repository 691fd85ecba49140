package org.apache.rocketmq.client.impl.consumer;

import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.protocol.heartbeat.SubscriptionData;

/** Bench stand-in: a pull's result, passed through (RocketMQ decodes its messages here). */
public class PullAPIWrapper {
    public PullResult processPullResult(final MessageQueue mq, final PullResult pullResult, final SubscriptionData subscriptionData) {
        return pullResult;
    }
}
