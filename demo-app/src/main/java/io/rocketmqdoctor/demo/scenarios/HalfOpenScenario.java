package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.grpc.GrpcFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.HalfOpenRelay;
import io.rocketmqdoctor.demo.harness.Jvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * gRPC push consumers whose connection to their proxy goes half-open: they talk to a proxy in cluster mode (a broker
 * beside it) through a relay ({@link HalfOpenRelay}) that silences the connections it holds, as a proxy host that
 * vanished without FIN or RST would, while a new connection still reaches the proxy. rocketmq-client-java 5.0.4 to
 * 5.0.8 send no keepalive and no release to 5.2.0 rebuilds the channel after timeouts (rocketmq-clients #872, #1309;
 * apache/rocketmq #9170 was 5.0.7): the client waits on the dead connection for good. One client JVM with the agent's
 * defaults; with --fix a second one beside it (its own topic and group) with grpc.fix, which sends the channel to
 * idle once an RPC has only timed out for grpc.failing-for (20 s here), so that its next calls make a new connection.
 * Both are watched for 60 s after the silence.
 */
public final class HalfOpenScenario implements Scenario {
    static final String TOPIC = "DoctorHalfOpen";
    static final String GROUP = "doctor-half-open";
    /** How long the clients are watched after their connection went silent: three times grpc.failing-for. */
    static final long WATCH_MS = 60_000;
    static final String AGENT = "interval=1s,grpc.failing-for=20s";

    @Override
    public String name() { return "half-open"; }

    @Override
    public String description() {
        return "a gRPC push consumer's connection to its proxy goes half-open (a relay silences it): it never receives again (fix: a new connection)";
    }

    @Override
    public String defaultRocketmq() { return "5.0.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            // a broker, and a proxy in cluster mode in front of it: only that one routes clients to the port they dialled
            Cluster.Server broker = cluster.startBroker("broker-a", List.of(ns.address), Map.of("timerWheelEnable", "true"));
            Cluster.Server proxy = cluster.startProxy("proxy", List.of(ns.address), false);
            Path silence = o.dir.resolve("silence");
            List<String> cmd = Jvm.command("32m", null, Jvm.demoClassPath().toString(), HalfOpenRelay.class.getName(),
                    List.of("-Duser.home=" + o.dir));
            cmd.add(proxy.address);
            cmd.add(silence.toString());
            Child relay = Child.start("relay", cmd, o.dir, Map.of());
            try {
                Matcher port = relay.awaitLine("^" + HalfOpenRelay.LISTENING + " (\\d+)$", 30_000);
                if (port == null) throw new IllegalStateException("the relay did not start:\n" + relay.output());
                String endpoint = "127.0.0.1:" + port.group(1);
                Path stop = o.dir.resolve("stop");
                Clients clients = Clients.grpc(o.rocketmq, o.dir.resolve("clients"));
                List<String> names = new ArrayList<>(List.of("plain"));
                if (o.fix) names.add("fixed");
                List<Child> apps = new ArrayList<>();
                for (String n : names) {
                    GrpcBasicScenario.topicAndGroup(cluster, ns.address, broker, TOPIC + "_" + n, GROUP + "-" + n);
                    apps.add(clients.start(n, "GrpcAppMain", AGENT + (n.equals("fixed") ? ",grpc.fix=true" : ""), Collections.emptyList(),
                            "--mode", "push", "--endpoint", endpoint, "--topic", TOPIC + "_" + n, "--group", GROUP + "-" + n,
                            "--seconds", "600", "--interval-ms", "200", "--drain-ms", "3000", "--stop-file", stop.toString()));
                }
                for (Child app : apps) {
                    if (app.awaitLine("^GOT ", 90_000) == null) throw new IllegalStateException("a consumer never received:\n" + app.output());
                }
                Thread.sleep(5000);
                Files.writeString(silence, "now");
                // the relay's own time of the silence, and a second more: what was on its way then may still land
                Matcher at = relay.awaitLine("^" + HalfOpenRelay.SILENCED + " \\d+ (\\d+)$", 10_000);
                if (at == null) throw new IllegalStateException("the relay did not silence its connections:\n" + relay.output());
                long silenced = Long.parseLong(at.group(1)) + 1000;
                Map<String, Long> named = new LinkedHashMap<>();
                Map<String, Long> again = new LinkedHashMap<>();
                while (System.currentTimeMillis() < silenced + WATCH_MS) {
                    for (int i = 0; i < apps.size(); i++) {
                        String n = names.get(i);
                        if (!named.containsKey(n) && !AgentOutput.findings(clients.doctorDir(n), GrpcFeature.ENDPOINT_FAILING).isEmpty()) {
                            named.put(n, System.currentTimeMillis() - silenced);
                        }
                        if (!again.containsKey(n)) {
                            long t = GrpcAppLines.awaitGot(apps.get(i), silenced, 0);
                            if (t >= 0) again.put(n, t - silenced);
                        }
                    }
                    Thread.sleep(500);
                }
                Files.writeString(stop, "stop");
                Map<String, Object> r = o.result(name());
                r.put("watchedMs", WATCH_MS);
                boolean ok = true;
                for (int i = 0; i < apps.size(); i++) {
                    String n = names.get(i);
                    Map<String, Object> c = new LinkedHashMap<>(Clients.result(apps.get(i), 60_000));
                    Path doctor = clients.doctorDir(n);
                    // sent, and not received by the end (3 s after the sends stopped): what the dead connection held up
                    c.put("unreceivedAtEnd", GrpcAppLines.lost(apps.get(i)));
                    c.put("receivedAfterSilence", GrpcAppLines.since(apps.get(i), "GOT", silenced));
                    c.put("sentAfterSilence", GrpcAppLines.since(apps.get(i), "SENT", silenced));
                    c.put("findingAfterMs", named.getOrDefault(n, -1L));
                    c.put("receivingAgainAfterMs", again.getOrDefault(n, -1L));
                    c.put("findings", AgentOutput.codes(doctor));
                    List<Map<String, Object>> failing = AgentOutput.findings(doctor, GrpcFeature.ENDPOINT_FAILING);
                    c.put("endpointFailing", failing.isEmpty() ? null : failing.get(0).get("message"));
                    List<Map<String, Object>> reset = AgentOutput.findings(doctor, GrpcFeature.CHANNEL_RESET);
                    c.put("channelReset", reset.isEmpty() ? null : reset.get(0).get("message"));
                    r.put(n, c);
                    // the plain client: named, and neither sending nor receiving while watched; the fixed one: named,
                    // reset, and sending again (its consumer's receipts resume later, after 40 to 95 s here: measured, not gated)
                    // the fixed client's sends count from grpc.failing-for on: before that the fix cannot have acted
                    long sentAfter = GrpcAppLines.since(apps.get(i), "SENT", n.equals("fixed") ? silenced + 20_000 : silenced);
                    ok &= named.containsKey(n) && (n.equals("fixed") ? sentAfter > 0 && !reset.isEmpty()
                            : sentAfter == 0 && !again.containsKey(n) && reset.isEmpty());
                }
                return new Outcome(r, ok, ok ? "named; the plain client sent and received nothing more while watched"
                        + (o.fix ? ", the fixed one made new connections and sent again" : "")
                        : "expected the finding, and no message sent or received again but by the fixed client: " + r);
            } finally {
                Files.writeString(o.dir.resolve("stop"), "stop"); // the clients end on every path, a failed one too
                relay.stop(2000);
            }
        }
    }
}
