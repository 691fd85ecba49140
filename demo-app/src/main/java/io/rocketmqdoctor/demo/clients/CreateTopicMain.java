package io.rocketmqdoctor.demo.clients;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.TopicConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** Creates --topic with --queues read and write queues on the broker at --broker, as mqadmin updateTopic does. */
public final class CreateTopicMain {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        DefaultMQProducer p = new DefaultMQProducer("doctor-admin");
        p.setNamesrvAddr(a.need("namesrv"));
        p.start();
        int queues = (int) a.num("queues", 8);
        TopicConfig cfg = new TopicConfig(a.need("topic"), queues, queues, 6);
        long t0 = System.currentTimeMillis();
        p.getDefaultMQProducerImpl().getmQClientFactory().getMQClientAPIImpl()
                .createTopic(a.need("broker"), "TBW102", cfg, 20_000);
        p.shutdown();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("created", a.need("topic"));
        r.put("ms", System.currentTimeMillis() - t0);
        Report.print(r);
    }
}
