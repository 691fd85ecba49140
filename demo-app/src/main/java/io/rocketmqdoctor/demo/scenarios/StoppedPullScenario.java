package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.consumer.ConsumerFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * A consumer of 8 queues whose pull chain of queue 0 ends (the demo's offset store throws an
 * Error once in the pull's callback, as an application's database-backed store can). A producer then sends 20
 * messages a second for 30 s. Queue 0's messages wait: RocketMQ repairs the queue only after 120 s idle. With
 * consumer.pull-idle=30s (a broker holds a long poll up to 20 s) the agent names the queue; with consumer.fix its pulls
 * restart from the committed offset and every message is consumed once, and the seven healthy queues are left alone.
 * 5.x survives the fault: its remoting client completes a callback through a CompletableFuture whose exceptionally()
 * hands the Error to the pull's failure path, which retries in 3 s. There the agent must stay silent and change nothing.
 */
public final class StoppedPullScenario implements Scenario {
    static final String TOPIC = "DoctorStoppedPull";
    static final long SEND_MS = 30_000;

    @Override
    public String name() { return "stopped-pull"; }

    @Override
    public String description() {
        return "the pulls of one queue end (an Error in the pull's callback): its messages wait until the agent names it (fix: its pulls restart)";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Cluster.Server broker = cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            clients.createTopic(ns.address, broker.address, TOPIC, 8);
            Path stop = o.dir.resolve("stop");
            Child consumer = clients.startConsumer("consumer", "interval=1s,consumer.pull-idle=30s" + (o.fix ? ",consumer.fix=true" : ""),
                    "--namesrv", ns.address, "--topic", TOPIC, "--group", "doctor-stopped-pull",
                    "--lose-pull-queue", "0", "--timeout-ms", "600000", "--stop-file", stop.toString());
            // the first long poll of the idle queue 0 comes back empty after 15 s, and its callback meets the Error
            Matcher lost = consumer.awaitLine("^PULL-LOST (\\d+) ", 60_000);
            if (lost == null) throw new IllegalStateException("the pulls of queue 0 did not end:\n" + consumer.output());
            long lostAt = Long.parseLong(lost.group(1));
            Child producer = clients.start("producer", "ProducerMain", null, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", TOPIC, "--rate", "20", "--duration-ms", String.valueOf(SEND_MS));
            Map<String, Object> p = Clients.result(producer, SEND_MS + 60_000);
            Thread.sleep(10_000);
            // what was consumed by now counts: RocketMQ's own repair comes 120 s after queue 0's last pull
            Files.writeString(stop, String.valueOf(System.currentTimeMillis()));
            Map<String, Object> c = Clients.result(consumer, 60_000);
            Path doctor = clients.doctorDir("consumer");
            Map<String, Object> stopped = AgentOutput.await(doctor, ConsumerFeature.PULL_STOPPED, 1_000);
            List<Map<String, Object>> restarts = AgentOutput.findings(doctor, ConsumerFeature.PULL_RESTARTED);
            long sent = ((Number) p.get("sent")).longValue();
            long sentToQueue0 = Clients.count(p.get("sentByQueue"), "0");
            long consumedQueue0 = Clients.count(c.get("byQueue"), "0");
            long distinct = ((Number) c.get("distinct")).longValue();
            Map<String, Object> r = o.result(name());
            r.put("sent", sent);
            r.put("sentToQueue0", sentToQueue0);
            r.put("consumedQueue0", consumedQueue0);
            r.put("consumed", distinct);
            r.put("received", c.get("received"));
            Map<String, Object> ev = stopped == null ? Collections.emptyMap() : AgentOutput.evidence(stopped);
            r.put("stoppedQueue", ev.get("queue"));
            r.put("reportedAfterLossMs", stopped == null ? null : java.time.Instant.parse((String) stopped.get("time")).toEpochMilli() - lostAt);
            r.put("restartedQueues", restarts.size());
            String queue0 = "topic=" + TOPIC + ", brokerName=broker-a, queueId=0]";
            boolean named = stopped != null && String.valueOf(ev.get("queue")).endsWith(queue0);
            boolean onlyQueue0 = true;
            for (Map<String, Object> f : restarts) onlyQueue0 &= String.valueOf(AgentOutput.evidence(f).get("queue")).endsWith(queue0);
            boolean once = distinct == sent && ((Number) c.get("received")).longValue() == distinct;
            boolean losesPulls = o.rocketmq.startsWith("4.");
            r.put("clientLosesPulls", losesPulls);
            boolean ok = !losesPulls
                    ? stopped == null && restarts.isEmpty() && once
                    : o.fix
                    ? named && restarts.size() == 1 && onlyQueue0 && consumedQueue0 == sentToQueue0 && once
                    : named && restarts.isEmpty() && sentToQueue0 > 0 && consumedQueue0 == 0 && distinct == sent - sentToQueue0;
            return new Outcome(r, ok, !losesPulls
                    ? "expected a 5.x client to keep pulling queue 0 by itself: no finding, no restart, every message consumed once"
                    : o.fix
                    ? "expected consumer.pull-stopped for queue 0, one restart (queue 0 only), and every message consumed once"
                    : "expected consumer.pull-stopped for queue 0 and none of its messages consumed, the other queues' all");
        }
    }

}
