package io.rocketmqdoctor.advices.consumer;

import io.rocketmqdoctor.advices.Reflect;

import java.util.Map;

/**
 * What the agent's thread reads of a push consumer (DefaultMQPushConsumerImpl) and its queues (ProcessQueue), by
 * reflection, for the checks that run every interval or when a finding is made: never on a consume or pull path.
 * The same public getters from 4.3.0 to 5.5.x (ConsumerFeature names them for the release table).
 */
final class PushConsumerReads {
    private PushConsumerReads() {}

    static boolean running(Object impl) throws Exception {
        return "RUNNING".equals(String.valueOf(Reflect.call(impl, "getServiceState")));
    }

    static String group(Object impl) throws Exception {
        return String.valueOf(Reflect.call(Reflect.call(impl, "getDefaultMQPushConsumer"), "getConsumerGroup"));
    }

    /** MessageQueue -> ProcessQueue of the queues the consumer holds. */
    static Map<?, ?> processQueues(Object impl) throws Exception {
        return (Map<?, ?>) Reflect.call(Reflect.call(impl, "getRebalanceImpl"), "getProcessQueueTable");
    }

    /** Messages a ProcessQueue holds: pulled and not yet consumed (those in a listener call included). */
    static long cachedMessages(Object pq) throws Exception {
        return ((Number) Reflect.call(Reflect.call(pq, "getMsgCount"), "get")).longValue();
    }

    /** The offset the consumer would commit for mq now (its offset store's memory), or null. */
    static Object committedOffset(Object impl, Object mq) {
        try {
            Object store = Reflect.call(impl, "getOffsetStore");
            for (Object type : store.getClass().getClassLoader().loadClass("org.apache.rocketmq.client.consumer.store.ReadOffsetType")
                    .getEnumConstants()) {
                if ("READ_FROM_MEMORY".equals(String.valueOf(type))) return Reflect.call(store, "readOffset", mq, type);
            }
        } catch (Exception e) {
            // evidence, not the finding
        }
        return null;
    }
}
