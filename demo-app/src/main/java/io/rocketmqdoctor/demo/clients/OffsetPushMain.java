package io.rocketmqdoctor.demo.clients;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.MessageQueue;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sets --group's offset of every queue of --topic on --broker to --beyond messages past the queue's end, with the
 * request DefaultMQAdminExt.updateConsumeOffset sends (UPDATE_CONSUMER_OFFSET): what a broker's offsets look like after
 * its consume queue was lost or rebuilt shorter (apache/rocketmq #4215). No consumer of the group may run meanwhile.
 */
public final class OffsetPushMain {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        DefaultMQProducer p = new DefaultMQProducer("doctor-offset-admin");
        p.setNamesrvAddr(a.need("namesrv"));
        p.start();
        Object api = p.getDefaultMQProducerImpl().getmQClientFactory().getMQClientAPIImpl();
        Class<?> header = header();
        Method update = api.getClass().getMethod("updateConsumerOffset", String.class, header, long.class);
        String topic = a.need("topic");
        Map<String, Object> set = new LinkedHashMap<>();
        for (int q = 0; q < (int) a.num("queues", 4); q++) {
            long max = maxOffset(p, new MessageQueue(topic, a.need("broker-name"), q));
            long offset = max + a.num("beyond", 1000);
            Object h = header.getConstructor().newInstance();
            header.getMethod("setConsumerGroup", String.class).invoke(h, a.need("group"));
            header.getMethod("setTopic", String.class).invoke(h, topic);
            header.getMethod("setQueueId", Integer.class).invoke(h, q);
            header.getMethod("setCommitOffset", Long.class).invoke(h, offset);
            update.invoke(api, a.need("broker"), h, 10_000L);
            set.put(String.valueOf(q), max + "->" + offset);
        }
        p.shutdown();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("set", set);
        Report.print(r);
    }

    /** The queue's max offset, through its route: a loaded name server may answer a first route query late. */
    static long maxOffset(DefaultMQProducer p, MessageQueue mq) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return p.maxOffset(mq);
            } catch (Exception e) {
                if (attempt == 10) throw e;
                Thread.sleep(1000);
            }
        }
    }

    /** UpdateConsumerOffsetRequestHeader moved from common.protocol (4.x) to remoting.protocol (5.x). */
    static Class<?> header() throws ClassNotFoundException {
        try {
            return Class.forName("org.apache.rocketmq.remoting.protocol.header.UpdateConsumerOffsetRequestHeader");
        } catch (ClassNotFoundException e) {
            return Class.forName("org.apache.rocketmq.common.protocol.header.UpdateConsumerOffsetRequestHeader");
        }
    }
}
