package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.brokerbusy.BrokerBusyFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Two brokers, one of them answering every send with SYSTEM_BUSY: broker-b runs with transientStorePoolEnable and a
 * pool of no buffers, so its send processor rejects each request ([REJECTREQUEST], code 2) in every release, as a
 * broker whose buffers or page cache are exhausted does (apache/rocketmq #4425, #3169). A producer sends synchronously
 * with RocketMQ's default two retries. Up to 5.2.x a code-2 answer ends the send at once: the sends that met broker-b
 * first fail although broker-a is healthy. With --fix a second producer beside it runs brokerbusy.fix.
 */
public final class BusyBrokerScenario implements Scenario {
    static final String TOPIC = "DoctorBusy";
    static final int COUNT = 40;

    @Override
    public String name() { return "busy-broker"; }

    @Override
    public String description() {
        return "one of two brokers answers SYSTEM_BUSY: up to 5.2.x the client fails those sends at once (fix: retry on the other broker)";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Cluster.Server a = cluster.startBroker("broker-a", List.of(ns.address), Collections.emptyMap());
            Cluster.Server b = cluster.startBroker("broker-b", List.of(ns.address),
                    Map.of("transientStorePoolEnable", "true", "transientStorePoolSize", "0"));
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            clients.createTopic(ns.address, a.address, TOPIC, 4);
            clients.createTopic(ns.address, b.address, TOPIC, 4);
            Child plain = producer(clients, "producer", "interval=1s", ns.address);
            Child fixed = o.fix ? producer(clients, "producer-fixed", "interval=1s,brokerbusy.fix=true", ns.address) : null;
            Map<String, Object> r = o.result(name());
            Map<String, Object> p = Clients.result(plain, 120_000);
            r.put("producer", Clients.sends(p));
            r.put("producerSaid", AgentOutput.message(clients.doctorDir("producer"), BrokerBusyFeature.SYSTEM_BUSY));
            boolean retriesItself = retriesSystemBusy(o.rocketmq);
            long busyFailures = Clients.count(p.get("statuses"), "MQBrokerException:2");
            boolean ok = r.get("producerSaid") != null && Clients.count(p.get("sentByBroker"), "broker-b") == 0
                    && (retriesItself ? ((Number) p.get("sent")).longValue() == COUNT : busyFailures > 0);
            String why = "broker-b's SYSTEM_BUSY was named with its reason; " + (retriesItself
                    ? "this client retried every such send on broker-a itself"
                    : "without the fix the sends that met broker-b first failed (" + busyFailures + " of " + COUNT + ")");
            if (fixed != null) {
                Map<String, Object> f = Clients.result(fixed, 120_000);
                r.put("producerFixed", Clients.sends(f));
                r.put("producerFixedSaid", AgentOutput.message(clients.doctorDir("producer-fixed"), BrokerBusyFeature.SYSTEM_BUSY));
                ok &= ((Number) f.get("sent")).longValue() == COUNT && Clients.count(f.get("sentByBroker"), "broker-a") == COUNT;
                why += "; with brokerbusy.fix every send reached broker-a";
            }
            return new Outcome(r, ok, ok ? why : "expected: " + why);
        }
    }

    /** 5.3.0+ clients have SYSTEM_BUSY in their retryResponseCodes (apache/rocketmq commit e5b357c). */
    static boolean retriesSystemBusy(String release) {
        String[] v = release.split("\\.");
        int major = Integer.parseInt(v[0]);
        return major > 5 || major == 5 && Integer.parseInt(v[1]) >= 3;
    }

    private static Child producer(Clients clients, String name, String agent, String namesrv) throws Exception {
        return clients.start(name, "ProducerMain", agent, Collections.emptyList(), "--namesrv", namesrv, "--topic", TOPIC,
                "--count", String.valueOf(COUNT), "--retries", "2", "--group", "doctor-" + name);
    }

}
