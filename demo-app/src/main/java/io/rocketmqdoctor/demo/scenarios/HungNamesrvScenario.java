package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.remoting.RemotingFeature;
import io.rocketmqdoctor.demo.clients.ProducerMain;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Incident 2. Two name servers, broker-a registered with both, a producer given both, sending steadily.
 * Once the producer has chosen a name server, the routes change on the other one only (broker-b, the
 * producer's topic also on it, a new topic only on it), and the chosen one is kill -STOPped (its sockets
 * stay open, as on the machine that hung in production); the producer starts using the new topic.
 * routeRecoveryMs: from the stop until the first successful send to the new topic (looked up at once, so
 * this is the client's failover time). pollRecoveryMs: from the stop until the first send of the old topic
 * lands on broker-b (learned only from a route poll, every 30 s).
 */
public final class HungNamesrvScenario implements Scenario {
    /**
     * The client refreshes its topics in HashSet order, and only the lookup that times out stays stale until the
     * next poll (4.9.1+ leave the name server after it). This name sorts before TBW102, so the producer's own topic
     * is the one that times out: the case where a 4.9.1+ client waits a whole extra poll.
     */
    static final String TOPIC = "HungNamesrv";
    static final String NEW_TOPIC = "HungNamesrvNew";
    static final long WINDOW_MS = 60_000;
    /** RocketMQ's default pollNameServerInterval: the client's route poll, from its start. */
    static final long POLL_MS = 30_000;

    @Override
    public String name() { return "hung-namesrv"; }

    @Override
    public String description() {
        return "kill -STOP the name server a producer chose; how long until it sends along a route only the other one knows";
    }

    @Override
    public String defaultRocketmq() { return "4.8.0"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns1 = cluster.startNamesrv("namesrv-1");
            Cluster.Server ns2 = cluster.startNamesrv("namesrv-2");
            List<String> both = Arrays.asList(ns1.address, ns2.address);
            cluster.startBroker("broker-a", both, Collections.emptyMap());
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            Path stop = o.dir.resolve("stop-producer");
            Path useNewTopic = o.dir.resolve("use-new-topic");
            String agent = "interval=1s" + (o.fix ? ",remoting.fix=true" : "");
            Child producer = clients.start("producer", "ProducerMain", agent, Collections.emptyList(),
                    "--namesrv", String.join(";", both), "--topic", TOPIC, "--rate", "20", "--duration-ms", "600000",
                    "--report-namesrv", "true", "--stop-file", stop.toString(),
                    "--topic2", NEW_TOPIC, "--topic2-file", useNewTopic.toString());
            Cluster.Server hung = null;
            try {
                if (producer.awaitLine(ProducerMain.FIRST_SEND, 90_000) == null) throw new IllegalStateException("producer never sent:\n" + producer.output());
                Matcher chosen = producer.awaitLine("^" + ProducerMain.NAMESRV_CHOSEN + " (\\S+)$", 10_000);
                if (chosen == null) throw new IllegalStateException("producer never chose a name server");
                hung = chosen.group(1).equals(ns1.address) ? ns1 : ns2;
                Cluster.Server healthy = hung == ns1 ? ns2 : ns1;
                // The route change only the healthy name server hears of: broker-b registers with it alone, the
                // producer's topic is created on broker-b too, and a new topic on broker-b only. The chosen name
                // server never learns of it; once it hangs, the producer can learn of it only by leaving it.
                Cluster.Server brokerB = cluster.startBroker("broker-b", Collections.singletonList(healthy.address), Collections.emptyMap());
                for (String topic : new String[]{TOPIC, NEW_TOPIC}) clients.createTopic(healthy.address, brokerB.address, topic, 8);
                // Stop it a few seconds after one of the client's 30 s route polls: without the fix the moved route is
                // then learned about 25 s later, at the next poll; a stop just before a poll would let the plain
                // client learn it at once by luck, and the comparison with the fix would be a coin toss.
                Matcher started = producer.awaitLine("^" + ProducerMain.STARTED + " (\\d+)$", 10_000);
                if (started == null) throw new IllegalStateException("harness: the producer's start line is missing, so the stop cannot be timed after a route poll");
                long sincePoll = (System.currentTimeMillis() - Long.parseLong(started.group(1))) % POLL_MS;
                if (sincePoll < 3000 || sincePoll > 8000) Thread.sleep((POLL_MS + 3000 - sincePoll) % POLL_MS);
                hung.child.signal("STOP");
                long routeChangedAt = System.currentTimeMillis();
                Files.createFile(useNewTopic);
                System.out.println("kill -STOP " + hung.child.pid() + " (name server " + hung.address + ", chosen by the producer); "
                        + TOPIC + " is now also on broker-b and " + NEW_TOPIC + " only there, known only to " + healthy.address
                        + "; the producer starts sending to " + NEW_TOPIC);

                Matcher first = producer.awaitLine("^" + ProducerMain.TOPIC2_FIRST_SEND + " (\\d+)$", WINDOW_MS);
                Long recovery = first == null ? null : Long.parseLong(first.group(1)) - routeChangedAt;
                long left = Math.max(1, WINDOW_MS - (System.currentTimeMillis() - routeChangedAt));
                Matcher moved = producer.awaitLine("^" + ProducerMain.NEW_BROKER_SEND + " (\\d+) broker-b$", left);
                Long pollRecovery = moved == null ? null : Long.parseLong(moved.group(1)) - routeChangedAt;
                Files.createFile(stop);
                hung.child.signal("CONT");
                Map<String, Object> p = Clients.result(producer, 60_000);

                Path doctor = clients.doctorDir("producer");
                Map<String, Object> r = o.result(name());
                r.put("hungNamesrv", hung.address);
                r.put("routeRecoveryMs", recovery);
                r.put("pollRecoveryMs", pollRecovery);
                r.put("windowMs", WINDOW_MS);
                r.put("sent", p.get("sent"));
                r.put("sendFailures", p.get("sendFailures"));
                r.put("findings", AgentOutput.codes(doctor));
                r.put("unresponsiveNamed", named(doctor, hung.address));
                return judge(o, r, recovery);
            } finally {
                if (hung != null && hung.child.alive()) hung.child.signal("CONT");
                producer.stop(10_000);
            }
        }
    }

    /** The expectations: the finding names the hung name server on every version; recovery as the version allows. */
    static Outcome judge(Options o, Map<String, Object> r, Long recovery) {
        boolean named = Boolean.TRUE.equals(r.get("unresponsiveNamed"));
        boolean oldClient = closesNeverOnTimeout(o.rocketmq);
        if (!named) return new Outcome(r, false, "no remoting.namesrv-unresponsive finding naming " + r.get("hungNamesrv"));
        if (o.fix && recovery == null) return new Outcome(r, false, "with the fix the producer should reach the new route within the window");
        if (!o.fix && oldClient && recovery != null) {
            return new Outcome(r, false, "a " + o.rocketmq + " client should stay on the hung name server without the fix");
        }
        return new Outcome(r, true, o.fix ? "recovered in " + recovery + " ms with the fix"
                : oldClient ? "no recovery without the fix, as expected for " + o.rocketmq : "recovery without the fix: " + recovery + " ms");
    }

    /** Up to 4.9.0 a client never closes a channel on timeout (clientCloseSocketIfTimeout false, no switch). */
    static boolean closesNeverOnTimeout(String version) {
        return io.rocketmqdoctor.demo.harness.RocketMqDist.before(version, "4.9.1");
    }

    static boolean named(Path doctor, String address) throws Exception {
        for (Map<String, Object> f : AgentOutput.findings(doctor)) {
            if (!RemotingFeature.NAMESRV_UNRESPONSIVE.equals(f.get("code"))) continue;
            Object ev = f.get("evidence");
            if (ev instanceof Map && address.equals(((Map<?, ?>) ev).get("address"))) return true;
        }
        return false;
    }
}
