package org.apache.rocketmq.client.impl.consumer;

import org.apache.rocketmq.common.message.MessageQueue;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bench stand-in with ConsumeMessageOrderlyService's name and the members the consumer feature weaves and reads: a
 * ConsumeRequest whose run() takes one batch from its ProcessQueue and hands an empty listener's result to
 * processConsumeResult, as RocketMQ's orderly loop does once per call.
 */
public class ConsumeMessageOrderlyService {
    private final ThreadPoolExecutor consumeExecutor =
            new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<Runnable>());
    private final String consumerGroup = "bench-group";

    public ConsumeRequest request(MessageQueue queue) {
        return new ConsumeRequest(new ProcessQueue(), queue);
    }

    public boolean processConsumeResult(List<?> msgs, Object status, Object context, ConsumeRequest request) {
        return true;
    }

    public void shutdown() {
        consumeExecutor.shutdown();
    }

    public class ConsumeRequest implements Runnable {
        private final ProcessQueue processQueue;
        private final MessageQueue messageQueue;

        ConsumeRequest(ProcessQueue processQueue, MessageQueue messageQueue) {
            this.processQueue = processQueue;
            this.messageQueue = messageQueue;
        }

        @Override
        public void run() {
            List<Object> msgs = processQueue.takeMessages(1);
            if (!msgs.isEmpty()) processConsumeResult(msgs, null, null, this);
        }
    }
}
