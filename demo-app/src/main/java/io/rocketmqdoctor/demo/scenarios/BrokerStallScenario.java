package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.store.StoreFeature;
import io.rocketmqdoctor.advices.stall.StallFeature;
import io.rocketmqdoctor.advices.signals.SignalsFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Incident 3 in miniature: a broker that stops being run for 2 s while the GC is idle. Steady sends; kill -STOP the
 * broker, 2 s, kill -CONT. The broker's agent must see a 2 s whole-JVM stall and say it was not GC; the sends that
 * waited show in the producer's p99.9. Nothing is lost: everything sent is received.
 */
public final class BrokerStallScenario implements Scenario {
    static final long STOP_MILLIS = 2000;
    private final String brokerAgentExtra;

    public BrokerStallScenario() {
        this("");
    }

    /** Tests add agent switches for the broker, e.g. store.slow-put.ms=0 to see the slow-put finding on every release. */
    public BrokerStallScenario(String brokerAgentExtra) {
        this.brokerAgentExtra = brokerAgentExtra;
    }

    @Override
    public String name() { return "broker-stall"; }

    @Override
    public String description() {
        return "steady sends; kill -STOP the broker for 2 s, then -CONT: its agent reports a non-GC stall (store, stall, os)";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        String topic = "DoctorStall";
        Map<String, Object> r = o.result(name());
        Path brokerDoctor;
        Map<String, Object> stall;
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            // findings.interval=1s: a hiccup of the broker's start on a loaded machine is written, and so is the stop after it
            cluster.withAgent("interval=1s,findings.interval=1s,stall.grace=0" + (brokerAgentExtra.isEmpty() ? "" : "," + brokerAgentExtra));
            Cluster.Server broker = cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            brokerDoctor = cluster.dir().resolve("broker-a").resolve("doctor");
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            Path latencies = o.dir.resolve("send-latencies.csv");
            Child producer = clients.start("producer", "ProducerMain", null, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", topic, "--rate", "200", "--duration-ms", "12000",
                    "--latency-file", latencies.toString());
            if (producer.awaitLine("^FIRST-SEND-OK", 60_000) == null) throw new IllegalStateException("no send succeeded");
            Thread.sleep(4000);
            long stoppedAt = System.currentTimeMillis();
            broker.child.signal("STOP");
            Thread.sleep(STOP_MILLIS);
            broker.child.signal("CONT");
            long continuedAt = System.currentTimeMillis();
            Map<String, Object> p = Clients.result(producer, 120_000);
            long sent = ((Number) p.get("sent")).longValue();
            Child consumer = clients.start("consumer", "ConsumerMain", null, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", topic, "--expect", String.valueOf(sent), "--timeout-ms", "60000");
            Map<String, Object> c = Clients.result(consumer, 120_000);
            stall = during(brokerDoctor, stoppedAt, continuedAt, 10_000);

            r.put("stoppedMs", continuedAt - stoppedAt);
            r.put("sent", sent);
            r.put("sendFailures", p.get("sendFailures"));
            r.put("received", c.get("distinct"));
            r.put("sendP999MsInWindow", p999InWindow(latencies, stoppedAt - 1000, continuedAt + 1000));
            r.put("sendP999Ms", p.get("sendP999Ms"));
        }
        // The broker's summary is written when it exits (the cluster is closed above).
        Map<String, Object> ev = stall == null ? Collections.emptyMap() : AgentOutput.evidence(stall);
        r.put("stallDetectedMs", ev.get("stallMs"));
        r.put("stallWasGc", ev.get("wasGc"));
        r.put("directReclaim", ev.get("directReclaim"));
        r.put("brokerPuts", AgentOutput.summaryCount(brokerDoctor, StoreFeature.PUT_HISTOGRAM));
        r.put("brokerPutsInLock", AgentOutput.summaryCount(brokerDoctor, StoreFeature.PUT_LOCK_HISTOGRAM));
        r.put("brokerHiccupSamples", AgentOutput.summaryCount(brokerDoctor, StallFeature.HICCUP_HISTOGRAM));
        r.put("findings", AgentOutput.codes(brokerDoctor));
        List<Map<String, Object>> slow = AgentOutput.findings(brokerDoctor, StoreFeature.SLOW_PUT);
        r.put("slowPut", slow.isEmpty() ? null : AgentOutput.evidence(slow.get(0)));
        List<Map<String, Object>> os = AgentOutput.findings(brokerDoctor, "os.memory-settings");
        r.put("hostSettingsDiffer", os.isEmpty() ? null : AgentOutput.evidence(os.get(0)).get("values"));
        List<Map<String, Object>> exit = AgentOutput.findings(brokerDoctor, SignalsFeature.SHUTDOWN);
        r.put("brokerShutdownCause", exit.isEmpty() ? null : AgentOutput.evidence(exit.get(0)).get("cause"));
        long detected = ev.get("stallMs") == null ? -1 : ((Number) ev.get("stallMs")).longValue();
        boolean ok = detected >= STOP_MILLIS - 200 && detected <= STOP_MILLIS + 2000 && Boolean.FALSE.equals(ev.get("wasGc"))
                && r.get("received").equals(r.get("sent"));
        return new Outcome(r, ok, ok ? "the broker's agent saw the " + detected + " ms stall and said it was not GC; nothing lost"
                : "expected a non-GC stall of about " + STOP_MILLIS + " ms in the broker's findings and every message received");
    }

    /**
     * The stall finding (GC or not) whose window overlaps the stop: not the first one, which on a loaded machine can be
     * a hiccup of the broker's own start.
     */
    static Map<String, Object> during(Path doctor, long from, long to, long timeoutMillis) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        do {
            for (String code : new String[]{StallFeature.NON_GC_PAUSE, StallFeature.GC_PAUSE}) {
                for (Map<String, Object> f : AgentOutput.findings(doctor, code)) {
                    Map<String, Object> ev = AgentOutput.evidence(f);
                    if (ev.get("startEpochMs") == null || ev.get("endEpochMs") == null) continue;
                    if (((Number) ev.get("startEpochMs")).longValue() <= to && ((Number) ev.get("endEpochMs")).longValue() >= from) return f;
                }
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < end);
        return null;
    }

    /** p99.9 of the sends that started in [from, to], in ms. */
    static double p999InWindow(Path latencies, long from, long to) throws java.io.IOException {
        List<Long> micros = new ArrayList<>();
        for (String line : Files.readAllLines(latencies)) {
            String[] f = line.split(",");
            if (f.length == 2 && Long.parseLong(f[0]) >= from && Long.parseLong(f[0]) <= to) micros.add(Long.parseLong(f[1]));
        }
        if (micros.isEmpty()) return -1;
        Collections.sort(micros);
        int i = (int) Math.min(micros.size() - 1, Math.ceil(micros.size() * 0.999) - 1);
        return micros.get(Math.max(0, i)) / 1000.0;
    }
}
