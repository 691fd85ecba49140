package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.grpc.GrpcFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Path;
import java.util.Map;

/**
 * RocketMQ 5's gRPC client through a proxy: a name server and a proxy in local mode (the broker inside it), then a
 * JVM of rocketmq-client-java with the agent whose simple consumer receives and acknowledges the 200 messages its
 * producer sends. The RESULT sets the client's own count of its calls beside the agent's count of the RPCs it timed.
 */
public final class GrpcBasicScenario implements Scenario {
    static final int MESSAGES = 200;
    static final String TOPIC = "DoctorGrpc";
    static final String GROUP = "doctor-grpc";

    @Override
    public String name() { return "grpc-basic"; }

    @Override
    public String description() {
        return "name server + proxy (local mode); a gRPC client (rocketmq-client-java) sends, receives and acks 200 messages; the agent's RPC counts";
    }

    @Override
    public String defaultRocketmq() { return "5.0.0"; }

    /** A proxy of this cluster with the scenario's topic and consumer group created on its broker, as an operator would. */
    static Cluster.Server proxyWithTopic(Cluster cluster, Cluster.Server ns, String topic, String group) throws Exception {
        Cluster.Server proxy = cluster.startProxy("proxy", java.util.Collections.singletonList(ns.address));
        topicAndGroup(cluster, ns.address, proxy, topic, group);
        return proxy;
    }

    /** Creates a topic and a consumer group with mqadmin on a broker (a local proxy's, or one of its own). */
    static void topicAndGroup(Cluster cluster, String namesrv, Cluster.Server broker, String topic, String group) throws Exception {
        cluster.admin("updateTopic", "-n", namesrv, "-b", broker.brokerAddress, "-t", topic, "-r", "4", "-w", "4");
        // a 5.x proxy does not create a consumer group on first use: a client of an unknown group is refused
        cluster.admin("updateSubGroup", "-n", namesrv, "-b", broker.brokerAddress, "-g", group);
    }

    @Override
    public Outcome run(Options o) throws Exception {
        return run(o, java.util.Collections.singletonList(o.rocketmq));
    }

    /** The same through one proxy for each of these client releases, one after the other (each its topic and group). */
    public Outcome run(Options o, java.util.List<String> releases) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Cluster.Server proxy = cluster.startProxy("proxy", java.util.Collections.singletonList(ns.address));
            Map<String, Object> r = o.result(name());
            boolean ok = true;
            StringBuilder why = new StringBuilder();
            for (String release : releases) {
                String topic = TOPIC + "_" + release.replace('.', '_');
                String group = GROUP + "-" + release.replace('.', '_'); // a group name allows no dots
                topicAndGroup(cluster, ns.address, proxy, topic, group);
                Clients clients = Clients.grpc(release, o.dir.resolve("clients"));
                String jvm = "grpc-app-" + release;
                Child app = clients.start(jvm, "GrpcAppMain", "interval=1s", java.util.Collections.emptyList(),
                        "--endpoint", proxy.address, "--topic", topic, "--group", group, "--count", String.valueOf(MESSAGES));
                Map<String, Object> c = new java.util.LinkedHashMap<>(Clients.result(app, 180_000));
                Path doctor = clients.doctorDir(jvm);
                String endpoint = GrpcFeature.CLIENT_HISTOGRAM + ";endpoint=ipv4:" + proxy.address + ";rpc=";
                long sends = AgentOutput.summaryCount(doctor, endpoint + "SendMessage");
                long receives = AgentOutput.summaryCount(doctor, endpoint + "ReceiveMessage");
                long acks = AgentOutput.summaryCount(doctor, endpoint + "AckMessage");
                c.put("agentSendCalls", sends);
                c.put("agentReceiveCalls", receives);
                c.put("agentAckCalls", acks);
                c.put("agentRpcs", AgentOutput.summaryCountStartingWith(doctor, endpoint));
                c.put("findings", AgentOutput.codes(doctor));
                r.put(release, c);
                boolean all = num(c, "sent") == MESSAGES && num(c, "received") == MESSAGES;
                boolean counted = sends == num(c, "sent") + num(c, "sendFailures") && receives == num(c, "receiveCalls")
                        && acks == num(c, "acks");
                if (!all) why.append(release).append(": expected ").append(MESSAGES).append(" sent and received; ");
                else if (!counted) why.append(release).append(": the agent's RPC counts differ from the client's calls; ");
                ok &= all && counted;
            }
            return new Outcome(r, ok, ok ? "every message sent and received; the agent timed every send, receive and ack call"
                    : why.toString());
        }
    }

    static long num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? -1 : ((Number) v).longValue();
    }
}
