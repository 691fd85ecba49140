package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.signals.SignalsFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

/**
 * Incident 5: a broker started by hand in a terminal session without nohup. It runs in a pseudo-terminal (script)
 * with the agent; kill -HUP, as the end of the session would send. Without the fix the broker stops and its agent
 * names SIGHUP in findings.jsonl; with rocketmq.doctor.signals.fix=true it keeps serving sends.
 */
public final class SighupScenario implements Scenario {
    static final int SENDS = 50;

    @Override
    public String name() { return "sighup"; }

    @Override
    public String description() {
        return "a broker in a terminal session without nohup gets SIGHUP: it stops and the cause is logged; with --fix it keeps serving";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        String topic = "DoctorSighup";
        Map<String, Object> r = o.result(name());
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.withAgent("interval=1s" + (o.fix ? ",signals.fix=true" : "")).wrapped(Cluster::inTerminal);
            Cluster.Server broker = cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Path doctor = cluster.dir().resolve("broker-a").resolve("doctor");
            long javaPid = broker.child.javaPid();
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            long before = sendOk(clients, "producer-before", ns.address, topic);
            r.put("sentBefore", before);
            r.put("noNohupWarned", AgentOutput.await(doctor, SignalsFeature.NO_NOHUP, 5000) != null);

            broker.child.signalJava("HUP");
            long hupAt = System.currentTimeMillis();
            ProcessHandle h = ProcessHandle.of(javaPid).orElse(null);
            // Without the fix the broker runs its shutdown hooks (5.x takes 10-16 s); with it, it must still be up.
            long deadline = hupAt + (o.fix ? 5_000 : 60_000);
            while (h != null && h.isAlive() && System.currentTimeMillis() < deadline) Thread.sleep(200);
            boolean alive = h != null && h.isAlive();
            r.put("brokerAlive", alive);
            r.put("sentAfter", alive ? sendOk(clients, "producer-after", ns.address, topic) : 0L);
            boolean causeLogged;
            if (o.fix) {
                causeLogged = AgentOutput.await(doctor, SignalsFeature.SIGHUP_IGNORED, 5000) != null;
            } else {
                Map<String, Object> shutdown = AgentOutput.await(doctor, SignalsFeature.SHUTDOWN, 5000);
                causeLogged = shutdown != null && "SIGHUP".equals(AgentOutput.evidence(shutdown).get("cause"));
                r.put("shutdownFinding", shutdown == null ? null : shutdown.get("message"));
            }
            r.put("causeLogged", causeLogged);
            r.put("findings", AgentOutput.codes(doctor));
            boolean ok = causeLogged && Boolean.TRUE.equals(r.get("noNohupWarned"))
                    && (o.fix ? alive && ((Number) r.get("sentAfter")).longValue() == SENDS : !alive);
            return new Outcome(r, ok, ok ? (o.fix ? "SIGHUP ignored and reported; the broker kept serving sends"
                    : "SIGHUP stopped the broker and its agent wrote the cause before it was gone")
                    : o.fix ? "expected the broker alive and serving, and signals.sighup-ignored"
                    : "expected the broker stopped and signals.shutdown naming SIGHUP");
        }
    }

    private static long sendOk(Clients clients, String name, String namesrv, String topic) throws Exception {
        Child p = clients.start(name, "ProducerMain", null, Collections.emptyList(),
                "--namesrv", namesrv, "--topic", topic, "--count", String.valueOf(SENDS));
        Map<String, Object> res = Clients.result(p, 120_000);
        @SuppressWarnings("unchecked")
        Map<String, Object> statuses = (Map<String, Object>) res.get("statuses");
        Object ok = statuses == null ? null : statuses.get("SEND_OK");
        return ok == null ? 0 : ((Number) ok).longValue();
    }

}
