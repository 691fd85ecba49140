package org.apache.rocketmq.client.impl.consumer;

import org.apache.rocketmq.common.message.MessageQueue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bench stand-in with ConsumeMessageConcurrentlyService's name and the fields the consumer feature reads (its pool,
 * its group, its consumer; the request's queue, ProcessQueue and messages), and a ConsumeRequest whose run() is an empty listener: JMH measures what timing a consume call adds.
 */
public class ConsumeMessageConcurrentlyService {
    private final ThreadPoolExecutor consumeExecutor =
            new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<Runnable>());
    private final String consumerGroup = "bench-group";
    private final Object defaultMQPushConsumerImpl = null;
    private final org.apache.rocketmq.client.consumer.DefaultMQPushConsumer defaultMQPushConsumer =
            new org.apache.rocketmq.client.consumer.DefaultMQPushConsumer();

    public ConsumeRequest request(MessageQueue queue) {
        return new ConsumeRequest(queue);
    }

    public void shutdown() {
        consumeExecutor.shutdown();
    }

    public class ConsumeRequest implements Runnable {
        private final MessageQueue messageQueue;
        private final ProcessQueue processQueue = new ProcessQueue();
        private final java.util.List<Object> msgs = java.util.Collections.emptyList();

        ConsumeRequest(MessageQueue messageQueue) {
            this.messageQueue = messageQueue;
        }

        @Override
        public void run() {
        }
    }
}
