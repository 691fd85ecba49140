package io.rocketmqdoctor.demo.clients;

import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.client.impl.MQClientManager;
import org.apache.rocketmq.client.producer.DefaultMQProducer;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two client ids, one true twin risk: a producer started as RocketMQ starts it (its name DEFAULT becomes the PID, or
 * pid#nanoTime from 4.9.0), and a client instance made straight from a plain ClientConfig through MQClientManager,
 * as some applications and tools do, which keeps the name DEFAULT (the same in every process).
 */
public final class DirectInstanceMain {
    private DirectInstanceMain() {}

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        DefaultMQProducer p = new DefaultMQProducer("doctor-direct");
        p.setNamesrvAddr(a.need("namesrv"));
        p.start();
        ClientConfig plain = new ClientConfig();
        plain.setNamesrvAddr(a.need("namesrv"));
        // getAndCreateMQClientInstance up to 4.5.x, getOrCreateMQClientInstance since
        Object instance = null;
        for (Method m : MQClientManager.class.getMethods()) {
            if ((m.getName().equals("getOrCreateMQClientInstance") || m.getName().equals("getAndCreateMQClientInstance"))
                    && m.getParameterTypes().length == 1) instance = m.invoke(MQClientManager.getInstance(), plain);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("producerId", p.getDefaultMQProducerImpl().getmQClientFactory().getClientId());
        r.put("directId", instance == null ? null : instance.getClass().getMethod("getClientId").invoke(instance));
        p.shutdown();
        Report.print(r);
    }
}
