package io.rocketmqdoctor.demo.clients;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Clients of one JVM with one instance name. --namesrv-b given: two producers, each meant for its own cluster (name
 * server A, name server B), as an application that talks to two clusters writes them; each sends --count messages
 * and counts them by the broker that stored them (the clusters' brokers have different names). Without --namesrv-b:
 * two producers and a push consumer, all of cluster A (a healthy application with one instance).
 */
public final class SharedInstanceMain {
    private SharedInstanceMain() {}

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        String name = a.get("instance", "order-service");
        String topic = a.need("topic");
        int count = (int) a.num("count", 50);
        String nsA = a.need("namesrv-a");
        String nsB = a.get("namesrv-b", null);
        DefaultMQProducer pa = producer("doctor-shared-a", nsA, name);
        DefaultMQProducer pb = producer("doctor-shared-b", nsB == null ? nsA : nsB, name);
        DefaultMQPushConsumer consumer = null;
        if (nsB == null) {
            consumer = new DefaultMQPushConsumer("doctor-shared-c");
            consumer.setNamesrvAddr(nsA);
            consumer.setInstanceName(name);
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
            consumer.start();
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("a", send(pa, topic, count));
        r.put("b", send(pb, topic, count));
        r.put("clientIdA", pa.getDefaultMQProducerImpl().getmQClientFactory().getClientId());
        r.put("clientIdB", pb.getDefaultMQProducerImpl().getmQClientFactory().getClientId());
        r.put("sameInstance", pa.getDefaultMQProducerImpl().getmQClientFactory() == pb.getDefaultMQProducerImpl().getmQClientFactory());
        if (consumer != null) {
            r.put("clientIdC", consumer.getDefaultMQPushConsumerImpl().getmQClientFactory().getClientId());
            consumer.shutdown();
        }
        pa.shutdown();
        pb.shutdown();
        Report.print(r);
    }

    private static DefaultMQProducer producer(String group, String namesrv, String instanceName) throws Exception {
        DefaultMQProducer p = new DefaultMQProducer(group);
        p.setNamesrvAddr(namesrv);
        p.setInstanceName(instanceName);
        p.start();
        return p;
    }

    /** Sends synchronously; counts by the name of the broker that stored each message, and failures by exception. */
    private static Map<String, Object> send(DefaultMQProducer p, String topic, int count) {
        Map<String, Long> byBroker = new TreeMap<>();
        Map<String, Long> failed = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            try {
                SendResult sr = p.send(new Message(topic, ("shared-" + i).getBytes()));
                byBroker.merge(sr.getMessageQueue().getBrokerName(), 1L, Long::sum);
            } catch (Exception e) {
                failed.merge(e.getClass().getSimpleName(), 1L, Long::sum);
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("namesrv", p.getNamesrvAddr());
        r.put("byBroker", byBroker);
        r.put("failed", failed);
        return r;
    }
}
