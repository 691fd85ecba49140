package org.apache.rocketmq.client.impl.consumer;

import org.apache.rocketmq.common.message.MessageQueue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bench stand-in with ConsumeMessageConcurrentlyService's name and the fields the consumer feature reads (its pool,
 * its group), and a ConsumeRequest whose run() is an empty listener: JMH measures what timing a consume call adds.
 */
public class ConsumeMessageConcurrentlyService {
    private final ThreadPoolExecutor consumeExecutor =
            new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<Runnable>());
    private final String consumerGroup = "bench-group";

    public ConsumeRequest request(MessageQueue queue) {
        return new ConsumeRequest(queue);
    }

    public void shutdown() {
        consumeExecutor.shutdown();
    }

    public class ConsumeRequest implements Runnable {
        private final MessageQueue messageQueue;

        ConsumeRequest(MessageQueue messageQueue) {
            this.messageQueue = messageQueue;
        }

        @Override
        public void run() {
        }
    }
}
