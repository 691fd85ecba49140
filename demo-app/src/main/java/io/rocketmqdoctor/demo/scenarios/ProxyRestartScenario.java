package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.grpc.GrpcFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The proxy a gRPC push consumer talks to goes away twice while a producer in the same JVM sends 5 messages a second.
 * First it hangs (SIGSTOP for 30 s, then SIGCONT): the connection stays open and every call times out, what a
 * half-open connection does to the client (rocketmq-clients #872, #1309); the agent runs with grpc.failing-for=20s. Then it dies (SIGKILL) and is started again
 * on the same ports and store (apache/rocketmq #9170: a push consumer that never receives again). The RESULT says,
 * for each, how long until the consumer received again and what was lost, and the agent's findings. With --fix the
 * client runs with grpc.fix: a hung proxy is not what it repairs (a new connection to a stopped process is as dead), and
 * a restart needs no repair; the RESULT shows it changes nothing there.
 */
public final class ProxyRestartScenario implements Scenario {
    static final String TOPIC = "DoctorProxyRestart";
    static final String GROUP = "doctor-proxy-restart";
    static final long HANG_MS = 30_000;

    private final boolean hang;

    public ProxyRestartScenario() {
        this(true);
    }

    /** Without the hang: the restart alone, with the agent's defaults (a restart of seconds is no warning). */
    public ProxyRestartScenario(boolean hang) {
        this.hang = hang;
    }

    @Override
    public String name() { return "proxy-restart"; }

    @Override
    public String description() {
        return "a gRPC push consumer's proxy hangs 30 s (SIGSTOP), then is killed and started again: when does it receive again, what does the agent say";
    }

    @Override
    public String defaultRocketmq() { return "5.0.0"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Cluster.Server proxy = GrpcBasicScenario.proxyWithTopic(cluster, ns, TOPIC, GROUP);
            Clients clients = Clients.grpc(o.rocketmq, o.dir.resolve("clients"));
            Path stop = o.dir.resolve("stop");
            Child app = clients.start("grpc-app", "GrpcAppMain", (hang ? "interval=1s,grpc.failing-for=20s" : "interval=1s")
                            + (o.fix ? ",grpc.fix=true" : ""),
                    java.util.Collections.emptyList(), "--mode", "push", "--endpoint", proxy.address, "--topic", TOPIC,
                    "--group", GROUP, "--seconds", "600", "--interval-ms", "200", "--drain-ms", "10000", "--stop-file", stop.toString());
            Map<String, Object> c;
            long hung, resumed, killed, restarted;
            try {
                if (app.awaitLine("^GOT ", 90_000) == null) throw new IllegalStateException("the consumer never received:\n" + app.output());
                Thread.sleep(10_000);
                hung = System.currentTimeMillis();
                resumed = hung;
                if (hang) {
                    proxy.child.signal("STOP");
                    Thread.sleep(HANG_MS);
                    proxy.child.signal("CONT");
                    resumed = System.currentTimeMillis();
                    GrpcAppLines.awaitGot(app, resumed, 60_000);
                    Thread.sleep(5000);
                }
                killed = System.currentTimeMillis();
                proxy.child.signal("KILL");
                proxy.child.waitFor(10_000);
                proxy = cluster.startProxy(proxy);
                restarted = System.currentTimeMillis();
                GrpcAppLines.awaitGot(app, restarted, 90_000);
                Thread.sleep(5000);
                java.nio.file.Files.writeString(stop, "stop");
                c = Clients.result(app, 60_000);
            } finally {
                java.nio.file.Files.writeString(stop, "stop"); // the client ends on every path, a failed one too
            }
            Path doctor = clients.doctorDir("grpc-app");
            TreeMap<Long, Long> sentAt = GrpcAppLines.printed(app, "SENT");
            TreeMap<Long, Long> gotAt = GrpcAppLines.printed(app, "GOT");
            Map<String, Object> r = o.result(name());
            r.putAll(c);
            if (hang) r.put("hang", phase(hung, resumed, killed, sentAt, gotAt));
            r.put("restart", phase(killed, restarted, Long.MAX_VALUE, sentAt, gotAt));
            long lost = GrpcAppLines.lost(app);
            r.put("lost", lost);
            List<Map<String, Object>> failing = AgentOutput.findings(doctor, GrpcFeature.ENDPOINT_FAILING);
            List<String> said = new ArrayList<>();
            for (Map<String, Object> f : failing) said.add(String.valueOf(f.get("message")));
            r.put("findings", AgentOutput.codes(doctor));
            r.put("endpointFailing", said);
            boolean named = hang != failing.isEmpty(); // the hang is named; a restart of seconds is not
            boolean recovered = ((Number) ((Map<?, ?>) r.get("restart")).get("receivedAfter")).longValue() > 0;
            boolean ok = named && recovered && lost == 0;
            return new Outcome(r, ok, ok ? (hang ? "the hang was named; " : "") + "the consumer received again and lost nothing"
                    : (named ? "" : hang ? "the hang was not named; " : "a restart was warned of; ") + (recovered ? "" : "the consumer never received after the restart; ")
                    + (lost == 0 ? "" : lost + " messages never received"));
        }
    }

    /**
     * From the fault's start to its end: messages sent in between, received after it (before {@code until}, the next
     * fault), and when the first one after it was received.
     */
    private static Map<String, Object> phase(long from, long to, long until, TreeMap<Long, Long> sentAt, TreeMap<Long, Long> gotAt) {
        long receivedAfter = 0;
        long firstGot = Long.MAX_VALUE;
        for (Map.Entry<Long, Long> e : gotAt.entrySet()) {
            if (e.getValue() >= to && e.getValue() < until) {
                receivedAfter++;
                firstGot = Math.min(firstGot, e.getValue());
            }
        }
        long sentDuring = 0;
        for (long t : sentAt.values()) if (t >= from && t < to) sentDuring++;
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("faultMs", to - from);
        m.put("sentDuring", sentDuring);
        m.put("receivedAfter", receivedAfter);
        m.put("receivingAgainAfterMs", firstGot == Long.MAX_VALUE ? -1 : firstGot - to);
        return m;
    }
}
