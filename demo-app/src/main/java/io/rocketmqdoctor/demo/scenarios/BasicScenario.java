package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.util.Collections;
import java.util.Map;

/** A name server, a broker, a producer and a consumer with the agent: 10,000 messages, then the agent's summary. */
public final class BasicScenario implements Scenario {
    static final int MESSAGES = 10_000;

    @Override
    public String name() { return "basic"; }

    @Override
    public String description() {
        return "name server + broker; producer and consumer JVMs with the agent; 10,000 messages; the agent's summary";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        String topic = "DoctorBasic";
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            String agent = "interval=1s";
            Child producer = clients.start("producer", "ProducerMain", agent, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", topic, "--count", String.valueOf(MESSAGES), "--linger-ms", "1500");
            Map<String, Object> p = Clients.result(producer, 300_000);
            Child consumer = clients.start("consumer", "ConsumerMain", agent, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", topic, "--expect", String.valueOf(MESSAGES), "--timeout-ms", "120000");
            Map<String, Object> c = Clients.result(consumer, 180_000);

            System.out.println("--- producer agent summary\n" + AgentOutput.summary(clients.doctorDir("producer")));
            System.out.println("--- consumer agent summary\n" + AgentOutput.summary(clients.doctorDir("consumer")));

            Map<String, Object> r = o.result(name());
            r.put("sent", p.get("sent"));
            r.put("sendFailures", p.get("sendFailures"));
            r.put("received", c.get("distinct"));
            r.put("sendP50Ms", p.get("sendP50Ms"));
            r.put("sendP99Ms", p.get("sendP99Ms"));
            r.put("findings", AgentOutput.codes(clients.doctorDir("producer"), clients.doctorDir("consumer")));
            boolean ok = ((Number) p.get("sent")).longValue() == MESSAGES && ((Number) c.get("distinct")).longValue() == MESSAGES;
            return new Outcome(r, ok, ok ? "all messages sent and received" : "expected " + MESSAGES + " sent and received");
        }
    }
}
