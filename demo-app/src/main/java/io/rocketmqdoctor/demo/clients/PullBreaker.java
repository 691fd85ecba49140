package io.rocketmqdoctor.demo.clients;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stopped-pull scenario's fault: the consumer's offset store throws an Error once, the way an
 * application's store backed by a database can hit a LinkageError or an OutOfMemoryError. The first time a pull of
 * queue --lose-pull-queue of the subscribed topic finds no new message, the pull's callback records the queue's offset (correctTagsOffset):
 * the Error ends that callback, and with it the queue's pull chain, since MQClientAPIImpl catches only Exception.
 * Every other call goes to RocketMQ's own offset store. Works on every release: the interface is proxied by name.
 */
final class PullBreaker {
    /** PULL-LOST epochMillis queueId: the Error was thrown. */
    static final String LOST = "PULL-LOST";

    private PullBreaker() {}

    static void install(DefaultMQPushConsumer consumer, String topic, int queueId) throws Exception {
        Object impl = consumer.getDefaultMQPushConsumerImpl();
        Object real = impl.getClass().getMethod("getOffsetStore").invoke(impl);
        Class<?> type = Class.forName("org.apache.rocketmq.client.consumer.store.OffsetStore");
        AtomicBoolean thrown = new AtomicBoolean();
        Object broken = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, m, args) -> {
            // the consume threads commit offsets too; only the pull's callback (another thread) meets the fault
            if (m.getName().equals("updateOffset") && !Thread.currentThread().getName().startsWith("ConsumeMessageThread")
                    && args[0] instanceof org.apache.rocketmq.common.message.MessageQueue
                    && ((org.apache.rocketmq.common.message.MessageQueue) args[0]).getQueueId() == queueId
                    // the subscribed topic's queue, not the retry topic's queue of the same number
                    && ((org.apache.rocketmq.common.message.MessageQueue) args[0]).getTopic().equals(topic) && thrown.compareAndSet(false, true)) {
                System.out.println(LOST + " " + System.currentTimeMillis() + " " + queueId);
                throw new NoClassDefFoundError("com/example/offsets/JdbcOffsetDao (the demo's simulated fault)");
            }
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        impl.getClass().getMethod("setOffsetStore", type).invoke(impl, broken);
    }
}
