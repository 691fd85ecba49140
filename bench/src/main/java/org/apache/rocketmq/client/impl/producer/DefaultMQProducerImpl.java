package org.apache.rocketmq.client.impl.producer;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

/** Bench stand-in: a transaction's end (4.9.7's four arguments), sent at once; a check, never in the benchmark. */
public class DefaultMQProducerImpl {
    private final DefaultMQProducer defaultMQProducer = new DefaultMQProducer();

    public void endTransaction(Message msg, SendResult sendResult, LocalTransactionState localTransactionState, Throwable localException) {
    }

    public void checkTransactionState(String addr, MessageExt msg, Object header) {
    }
}
