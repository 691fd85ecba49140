package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.brokeraddress.BrokerAddressFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Brokers whose advertised address does not work, all on this host: broker-b listens on 127.0.0.1 only
 * (bindAddress, 5.x) but advertises 127.0.0.2 (brokerIP1), as a broker in a container advertises its bridge or pod
 * address (apache/rocketmq #2933, #3440, #10289); broker-c takes an ephemeral port (listenPort=0), so that nothing
 * listens on its VIP port (port - 2), as a container that exposes only 10911 (#568). Beside them broker-a is healthy.
 * A producer of the topic on broker-a and broker-b sends with RocketMQ's two retries; a producer with
 * vipChannelEnabled (the default of 4.3.0-4.5.0, set here by its system property) sends to broker-c; with --fix a
 * second one beside it runs brokeraddress.fix. The servers are 5.5.0 whatever the client (bindAddress is 5.x's).
 */
public final class UnreachableBrokerScenario implements Scenario {
    static final String TOPIC = "DoctorUnreachable";
    static final String VIP_TOPIC = "DoctorVip";
    static final String SERVERS = "5.5.0";
    static final String AGENT = "interval=1s,brokeraddress.failing-for=10s";
    static final String VIP_ON = "-Dcom.rocketmq.sendMessageWithVIPChannel=true";

    @Override
    public String name() { return "unreachable-broker"; }

    @Override
    public String description() {
        return "a broker advertising an address nobody listens on, and one whose VIP port is closed, beside a healthy one (fix: the VIP case, main port)";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(SERVERS, o.dir.resolve("cluster"))) {
            cluster.withAgent("interval=1s");
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.withAgent(null);
            Cluster.Server a = cluster.startBroker("broker-a", List.of(ns.address), Collections.emptyMap());
            Cluster.Server b = cluster.startBroker("broker-b", List.of(ns.address), Map.of("bindAddress", "127.0.0.1", "brokerIP1", "127.0.0.2"));
            Cluster.Server c = cluster.startBroker("broker-c", List.of(ns.address), Map.of("listenPort", "0"));
            String vipAddr = "127.0.0.1:" + (c.port - 2);
            if (AdvertisedProbe.reachable(vipAddr)) throw new IllegalStateException("harness: something listens on broker-c's VIP port " + vipAddr);
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            clients.createTopic(ns.address, a.address, TOPIC, 4);
            clients.createTopic(ns.address, b.address, TOPIC, 4);
            clients.createTopic(ns.address, c.address, VIP_TOPIC, 4);
            Child producer = clients.start("producer", "ProducerMain", AGENT, Collections.emptyList(), "--namesrv", ns.address,
                    "--topic", TOPIC, "--duration-ms", "16000", "--rate", "10", "--retries", "2", "--group", "doctor-unreachable");
            Child vip = vipProducer(clients, "vip", AGENT, ns.address);
            Child vipFixed = o.fix ? vipProducer(clients, "vip-fixed", AGENT + ",brokeraddress.fix=true", ns.address) : null;

            Map<String, Object> r = o.result(name());
            r.put("server", SERVERS); // the servers this scenario runs, whatever the client's own release would pick
            Map<String, Object> p = Clients.result(producer, 120_000);
            r.put("producer", Clients.sends(p));
            r.put("producerSaid", AgentOutput.message(clients.doctorDir("producer"), BrokerAddressFeature.UNREACHABLE));
            r.put("namesrvSaid", AgentOutput.message(o.dir.resolve("cluster").resolve("namesrv").resolve("doctor"), BrokerAddressFeature.ADVERTISED_UNREACHABLE));
            boolean ok = Clients.count(p.get("sentByBroker"), "broker-b") == 0 && Clients.count(p.get("sentByBroker"), "broker-a") > 0
                    && r.get("producerSaid") != null && r.get("namesrvSaid") != null;
            String why = "broker-b's address was told by the name server and the producer, every send went to broker-a";
            Map<String, Object> v = Clients.result(vip, 120_000);
            r.put("vip", Clients.sends(v));
            r.put("vipSaid", AgentOutput.message(clients.doctorDir("vip"), BrokerAddressFeature.VIP_PORT_CLOSED));
            ok &= ((Number) v.get("sent")).longValue() == 0 && r.get("vipSaid") != null;
            why += "; without the fix no send reached broker-c through its closed VIP port, and that was told";
            if (vipFixed != null) {
                Map<String, Object> f = Clients.result(vipFixed, 120_000);
                r.put("vipFixed", Clients.sends(f));
                r.put("vipFixedSaid", AgentOutput.message(clients.doctorDir("vip-fixed"), BrokerAddressFeature.VIP_FALLBACK));
                ok &= ((Number) f.get("sent")).longValue() == VIP_COUNT && r.get("vipFixedSaid") != null;
                why += "; with brokeraddress.fix every send reached broker-c's main port";
            }
            return new Outcome(r, ok, ok ? why : "expected: " + why);
        }
    }

    static final int VIP_COUNT = 20;

    private static Child vipProducer(Clients clients, String name, String agent, String namesrv) throws Exception {
        return clients.start(name, "ProducerMain", agent, List.of(VIP_ON), "--namesrv", namesrv, "--topic", VIP_TOPIC,
                "--count", String.valueOf(VIP_COUNT), "--retries", "2", "--group", "doctor-" + name,
                // a first send (its route, its connections) on a loaded machine can outlast the default 3 s budget
                // whatever the fix does: the budget is not what is measured
                "--send-timeout-ms", "10000");
    }


    /** A one-second connect from the harness: whether anything listens at an address. */
    static final class AdvertisedProbe {
        private AdvertisedProbe() {}

        static boolean reachable(String addr) {
            int colon = addr.lastIndexOf(':');
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1))), 1000);
                return true;
            } catch (Exception e) {
                return false;
            }
        }
    }
}
