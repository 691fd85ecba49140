package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.consumer.ConsumerFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

/**
 * Two consumer JVMs in one group, one subscribed to tag A, the other to *, and a producer sending
 * tags A and B in turn. The broker keeps one subscription for the group: the consumers filter each other's messages
 * away. RESULT counts the messages of each tag that reached no consumer that asked for them; the broker's agent
 * names the group, the topic and both clients' expressions, and the consumer whose expression the broker does not keep
 * names its own and the broker's.
 */
public final class MixedSubscriptionsScenario implements Scenario {
    static final String TOPIC = "DoctorMixed";
    static final String GROUP = "doctor-mixed";
    static final long SEND_MS = 15_000;

    @Override
    public String name() { return "mixed-subscriptions"; }

    @Override
    public String description() {
        return "two consumers of one group, tag A and *: part of the messages reach no consumer that asked for them; the broker says why";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.withAgent("interval=1s");
            Cluster.Server broker = cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            clients.createTopic(ns.address, broker.address, TOPIC, 8);
            Path stop = o.dir.resolve("stop");
            Child onlyA = consumer(clients, ns.address, "consumer-a", "A", stop);
            Child all = consumer(clients, ns.address, "consumer-all", "*", stop);
            // both consumers have told the broker (their first heartbeat, when they start: its finding says so), and a
            // rebalance gave each its queues
            Path doctor = o.dir.resolve("cluster").resolve("broker-a").resolve("doctor");
            AgentOutput.await(doctor, ConsumerFeature.MIXED_SUBSCRIPTIONS, 30_000);
            Thread.sleep(5_000);
            Child producer = clients.start("producer", "ProducerMain", null, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", TOPIC, "--rate", "40", "--duration-ms", String.valueOf(SEND_MS), "--tags", "A,B");
            Map<String, Object> p = Clients.result(producer, SEND_MS + 60_000);
            Thread.sleep(10_000);
            Files.writeString(stop, String.valueOf(Long.MAX_VALUE));
            Map<String, Object> a = Clients.result(onlyA, 60_000);
            Map<String, Object> s = Clients.result(all, 60_000);
            Object sent = p.get("sentByTag");
            long sentA = Clients.count(sent, "A");
            long sentB = Clients.count(sent, "B");
            long gotA = Clients.count(a.get("byTag"), "A") + Clients.count(s.get("byTag"), "A");
            long gotB = Clients.count(s.get("byTag"), "B");                 // only consumer-all asked for B
            Map<String, Object> finding = AgentOutput.await(doctor, ConsumerFeature.MIXED_SUBSCRIPTIONS, 5_000);
            Map<String, Object> r = o.result(name());
            r.put("sentA", sentA);
            r.put("sentB", sentB);
            r.put("tagANotDelivered", sentA - gotA);
            r.put("tagBNotDelivered", sentB - gotB);
            r.put("brokerFinding", finding != null);
            r.put("subscriptions", finding == null ? null : AgentOutput.evidence(finding).get("subscriptions"));
            String subs = String.valueOf(r.get("subscriptions"));
            // the consumer whose expression the broker does not keep says so, naming its own and the broker's
            Map<String, Object> overridden = null;
            for (String c : new String[]{"consumer-a", "consumer-all"}) {
                Map<String, Object> f = AgentOutput.await(clients.doctorDir(c), ConsumerFeature.SUBSCRIPTION_OVERRIDDEN, 0);
                if (f != null && overridden == null) {
                    overridden = f;
                    r.put("clientFinding", c);
                }
            }
            Map<String, Object> ev = overridden == null ? Collections.emptyMap() : AgentOutput.evidence(overridden);
            r.put("clientExpression", ev.get("expression"));
            r.put("brokerExpression", ev.get("brokerExpression"));
            boolean clientSaysBoth = overridden != null && new java.util.TreeSet<>(java.util.Arrays.asList(ev.get("expression"), ev.get("brokerExpression")))
                    .equals(new java.util.TreeSet<>(java.util.Arrays.asList("A", "*")));
            boolean ok = finding != null && subs.contains("=A") && subs.contains("=*") && (sentA - gotA) + (sentB - gotB) > 0 && clientSaysBoth;
            return new Outcome(r, ok, "expected messages that reached no consumer that asked for them, the broker's "
                    + ConsumerFeature.MIXED_SUBSCRIPTIONS + " naming both expressions, and a consumer's "
                    + ConsumerFeature.SUBSCRIPTION_OVERRIDDEN + " naming its own and the broker's");
        }
    }

    private static Child consumer(Clients clients, String ns, String name, String tag, Path stop) throws Exception {
        return clients.startConsumer(name, "interval=1s,consumer.subscription-check=10s", "--namesrv", ns, "--topic", TOPIC,
                "--group", GROUP, "--tag", tag, "--timeout-ms", "600000", "--stop-file", stop.toString());
    }

}
