package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.clientid.ClientIdFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Two clusters (a name server and a broker each: broker-a, broker-b) and one application JVM whose two producers share
 * an instance name, the first meant for cluster A, the second for cluster B (apache/rocketmq #1247, #3150, #8806).
 * RocketMQ gives both one client instance with A's name servers: B receives nothing. With --fix a second JVM beside
 * it runs clientid.fix, which gives the second producer an instance of its own. Beside them, a healthy application
 * (two producers and a consumer of cluster A, one instance name) runs with the same switches: it must be left alone.
 */
public final class SharedInstanceScenario implements Scenario {
    static final String TOPIC = "DoctorShared";
    static final int COUNT = 50;

    @Override
    public String name() { return "shared-instance"; }

    @Override
    public String description() {
        return "two producers in one JVM meant for two clusters share one client instance: the second cluster receives nothing (fix: an instance of its own)";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server nsA = cluster.startNamesrv("namesrv-a");
            Cluster.Server nsB = cluster.startNamesrv("namesrv-b");
            Cluster.Server brokerA = cluster.startBroker("broker-a", List.of(nsA.address), Collections.emptyMap());
            Cluster.Server brokerB = cluster.startBroker("broker-b", List.of(nsB.address), Collections.emptyMap());
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            clients.createTopic(nsA.address, brokerA.address, TOPIC, 4);
            clients.createTopic(nsB.address, brokerB.address, TOPIC, 4);
            String plain = "interval=1s";
            String fixed = "interval=1s,clientid.fix=true";
            Child app = start(clients, "app", plain, nsA.address, nsB.address);
            Child appFixed = o.fix ? start(clients, "app-fixed", fixed, nsA.address, nsB.address) : null;
            Child healthy = start(clients, "healthy", o.fix ? fixed : plain, nsA.address, null);

            Map<String, Object> r = o.result(name());
            Map<String, Object> a = Clients.result(app, 120_000);
            r.put("app", a);
            r.put("appFindings", AgentOutput.codes(clients.doctorDir("app")));
            r.put("appMessage", AgentOutput.message(clients.doctorDir("app"), ClientIdFeature.SHARED_INSTANCE));
            boolean ok = toCluster(a, "b", "broker-a") == COUNT && toCluster(a, "a", "broker-a") == COUNT
                    && r.get("appMessage") != null;
            String why = "without the fix the second producer's " + COUNT + " messages went to broker-a (cluster A) and "
                    + ClientIdFeature.SHARED_INSTANCE + " said so";
            if (appFixed != null) {
                Map<String, Object> f = Clients.result(appFixed, 120_000);
                r.put("appFixed", f);
                r.put("appFixedFindings", AgentOutput.codes(clients.doctorDir("app-fixed")));
                r.put("appFixedMessage", AgentOutput.message(clients.doctorDir("app-fixed"), ClientIdFeature.INSTANCE_SEPARATED));
                ok &= toCluster(f, "b", "broker-b") == COUNT && toCluster(f, "a", "broker-a") == COUNT
                        && Boolean.FALSE.equals(f.get("sameInstance")) && r.get("appFixedMessage") != null
                        && AgentOutput.message(clients.doctorDir("app-fixed"), ClientIdFeature.SHARED_INSTANCE) == null;
                why += "; with clientid.fix each producer's messages reached its own cluster";
            }
            Map<String, Object> h = Clients.result(healthy, 120_000);
            r.put("healthy", h);
            r.put("healthyFindings", AgentOutput.codes(clients.doctorDir("healthy")));
            String id = "@order-service";
            boolean healthyOk = Boolean.TRUE.equals(h.get("sameInstance")) && toCluster(h, "a", "broker-a") == COUNT
                    && toCluster(h, "b", "broker-a") == COUNT && String.valueOf(h.get("clientIdA")).endsWith(id)
                    && String.valueOf(h.get("clientIdC")).equals(h.get("clientIdA"))
                    && AgentOutput.findings(clients.doctorDir("healthy")).stream()
                    .noneMatch(x -> String.valueOf(x.get("code")).startsWith("clientid.") && !ClientIdFeature.COLLISION_PRONE.equals(x.get("code")));
            ok &= healthyOk;
            why += "; the healthy application (one configuration, one instance) kept its one instance and id, and nothing was said of it";
            return new Outcome(r, ok, ok ? why : "expected: " + why);
        }
    }

    private static Child start(Clients clients, String name, String agent, String nsA, String nsB) throws Exception {
        return nsB == null
                ? clients.start(name, "SharedInstanceMain", agent, Collections.emptyList(), "--namesrv-a", nsA, "--topic", TOPIC,
                "--count", String.valueOf(COUNT))
                : clients.start(name, "SharedInstanceMain", agent, Collections.emptyList(), "--namesrv-a", nsA, "--namesrv-b", nsB,
                "--topic", TOPIC, "--count", String.valueOf(COUNT));
    }

    /** Messages of producer {@code which} ("a" or "b") stored by {@code broker}. */
    static long toCluster(Map<String, Object> result, String which, String broker) {
        Object p = result.get(which);
        return p instanceof Map ? Clients.count(((Map<?, ?>) p).get("byBroker"), broker) : 0;
    }
}
