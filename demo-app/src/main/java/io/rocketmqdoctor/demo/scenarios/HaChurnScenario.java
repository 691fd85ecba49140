package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.ha.HaFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.Jvm;
import io.rocketmqdoctor.demo.harness.RocketMqDist;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Incident 4: a SYNC_MASTER and its SLAVE on 127.0.0.1, both with haSendHeartbeatInterval=4500. The master then
 * heartbeats a little more often than a slave up to 4.5.1 would report, and that slave resets its report timer on
 * every read, so it never reports and the master expires the link every ~20 s. Idle for a minute (traffic makes
 * the slave report, which hides the bug), then sends. Counted on the master: new HA connections in the window.
 * With haMasterAddress (5.x): the slave is given the master's HA address in its config and never connects.
 */
public final class HaChurnScenario implements Scenario {
    static final int SENDS = 100;
    static final Pattern CONNECTIONS = Pattern.compile("(?m)^rocketmq_doctor_ha_connections_total\\{slave=\"[^\"]*\"} (\\d+)");
    private final long idleMillis;
    private final boolean haMasterAddress;

    public HaChurnScenario() {
        this(65_000, false);
    }

    /** {@code haMasterAddress}: configure the slave with the master's HA address instead of learning it from the name server. */
    public HaChurnScenario(long idleMillis, boolean haMasterAddress) {
        this.idleMillis = idleMillis;
        this.haMasterAddress = haMasterAddress;
    }

    @Override
    public String name() { return haMasterAddress ? "ha-master-address" : "ha-churn"; }

    @Override
    public String description() {
        return "SYNC_MASTER + SLAVE with haSendHeartbeatInterval=4500, idle 65 s, then 100 sends: HA reconnects and findings";
    }

    @Override
    public String defaultRocketmq() { return "4.5.1"; }

    @Override
    public Outcome run(Options o) throws Exception {
        Map<String, Object> r = o.result(name());
        r.put("rocketmq", o.server); // clients and brokers are one release here
        System.out.println("haSendHeartbeatInterval=4500 on both brokers: the master heartbeats every ~4.5 s, so a slave up to 4.5.1,"
                + " which reports only after 4500 ms without a read, never reports: the race is certain, not timing-dependent");
        String fix = o.fix ? ",ha.fix=true" : "";
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            int metrics = Jvm.freePort();
            cluster.withAgent("interval=1s,prometheus.port=" + metrics + fix);
            Map<String, String> master = new LinkedHashMap<>();
            master.put("brokerRole", "SYNC_MASTER");
            master.put("haSendHeartbeatInterval", "4500");
            Cluster.Server m = cluster.startBroker("broker-a", Collections.singletonList(ns.address), master);
            cluster.withAgent("interval=1s,ha.never-connects=15s" + fix);
            Map<String, String> slave = new LinkedHashMap<>();
            slave.put("brokerName", "broker-a");
            slave.put("brokerId", "1");
            slave.put("brokerRole", "SLAVE");
            slave.put("haSendHeartbeatInterval", "4500");
            if (haMasterAddress) slave.put("haMasterAddress", "127.0.0.1:" + (m.port + 1));
            Cluster.Server s = cluster.startBroker("broker-a-slave", Collections.singletonList(ns.address), slave);
            Path masterDoctor = cluster.dir().resolve("broker-a").resolve("doctor");
            Path slaveDoctor = cluster.dir().resolve("broker-a-slave").resolve("doctor");

            // The window starts once the first link is up (never, with haMasterAddress on 5.x).
            long waitUntil = System.currentTimeMillis() + 15_000;
            long before = connections(metrics);
            while (before == 0 && System.currentTimeMillis() < waitUntil) {
                Thread.sleep(250);
                before = connections(metrics);
            }
            long start = System.currentTimeMillis();
            Thread.sleep(idleMillis);
            long after = connections(metrics);
            r.put("windowMs", System.currentTimeMillis() - start);
            r.put("haConnectionsBefore", before);
            r.put("haReconnects", after - before);

            Clients clients = new Clients(o.server, o.dir.resolve("clients"));
            Child p = clients.start("producer", "ProducerMain", null, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", "DoctorHa", "--count", String.valueOf(SENDS));
            Map<String, Object> res = Clients.result(p, 180_000);
            r.put("sent", res.get("sent"));
            r.put("sendsNotOk", notOk(res));
            TreeSet<String> codes = AgentOutput.codes(masterDoctor, slaveDoctor);
            r.put("findings", codes);
            // What the slave's agent said about ha.fix (active up to 4.5.1, "does nothing" after).
            r.put("slaveFixSaid", s.child.output().lines().filter(l -> l.contains("rocketmq.doctor.ha.fix"))
                    .map(l -> l.substring(l.indexOf("ha:"))).findFirst().orElse(null));
            boolean affected = RocketMqDist.before(o.server, "4.5.2");
            boolean ok;
            String why;
            if (haMasterAddress) {
                ok = before == 0 && codes.contains(HaFeature.SLAVE_NEVER_CONNECTS);
                why = "the slave never connected and ha.slave-never-connects named haMasterAddress";
            } else if (affected && !o.fix) {
                ok = after - before >= 2 && codes.contains(HaFeature.LINK_CHURN) && codes.contains(HaFeature.SLAVE_NOT_REPORTING);
                why = (after - before) + " reconnects in " + idleMillis / 1000 + " s idle, ha.link-churn and ha.slave-not-reporting";
            } else {
                ok = before >= 1 && after == before && codes.stream().noneMatch(c -> c.startsWith("ha."));
                why = "the link stayed up: no reconnect, no ha finding";
            }
            return new Outcome(r, ok, ok ? why : "expected: " + why);
        }
    }

    static long connections(int port) {
        try {
            String text = AgentOutput.metrics(port);
            long sum = 0;
            for (Matcher m = CONNECTIONS.matcher(text); m.find(); ) sum += Long.parseLong(m.group(1));
            return sum;
        } catch (Exception e) {
            return 0;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> notOk(Map<String, Object> producer) {
        Map<String, Object> out = new LinkedHashMap<>();
        Object s = producer.get("statuses");
        if (s instanceof Map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) s).entrySet()) {
                if (!e.getKey().equals("SEND_OK")) out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
