package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.retries.RetriesFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A listener that throws for one kind of message (tag poison, one message in ten), every time it comes: a concurrent
 * consumer sends each back until maxReconsumeTimes (3 here, 1 s apart) and then to %DLQ%group; an orderly consumer of
 * the same topic retries it in place, once a second, forever (maxReconsumeTimes unset: apache/rocketmq #6163), and its
 * queue waits behind it. RocketMQ keeps the exception in a log line only; the agent names it.
 */
public final class RetryStormScenario implements Scenario {
    static final String TOPIC = "DoctorRetry";
    /** retries.orderly-deliveries at 16 (a concurrent consumer's limit) so that the run is short; the default is 60. */
    static final String AGENT = "interval=1s,retries.orderly-deliveries=16";
    static final int COUNT = 100;
    static final int MAX_RECONSUME = 3;

    @Override
    public String name() { return "retry-storm"; }

    @Override
    public String description() {
        return "a listener that throws for one message in ten: sent back, dead-lettered with the exception named; an orderly queue stuck behind one";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Cluster.Server broker = cluster.startBroker("broker-a", List.of(ns.address), Collections.emptyMap());
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            clients.createTopic(ns.address, broker.address, TOPIC, 4);
            Clients.result(clients.start("producer", "ProducerMain", null, Collections.emptyList(), "--namesrv", ns.address, "--topic", TOPIC,
                    "--count", String.valueOf(COUNT), "--tags", "ok,ok,ok,ok,ok,ok,ok,ok,ok,poison", "--group", "doctor-retry-producer"), 120_000);
            Child concurrent = clients.start("consumer", "ConsumerMain", AGENT, List.of("-Drocketmq.client.rebalance.waitInterval=3000"), "--namesrv", ns.address, "--topic", TOPIC, "--group", "doctor-retry",
                    "--fail-tag", "poison", "--max-reconsume", String.valueOf(MAX_RECONSUME), "--retry-delay-level", "1",
                    // 5.x brokers make the retry topic at the first send-back, not at the consumer's heartbeat: the consumer
                    // finds its route at its next poll of the name server (30 s; 3 s here) and its queues at the next
                    // rebalance (20 s; 3 s here, RocketMQ's own property)
                    "--poll-namesrv-ms", "3000",
                    "--expect", String.valueOf(COUNT - COUNT / 10), "--expect-failures", String.valueOf(COUNT / 10 * (MAX_RECONSUME + 1)),
                    "--timeout-ms", "120000");
            if (concurrent.awaitLine(io.rocketmqdoctor.demo.clients.ConsumerMain.STARTED, 60_000) == null) {
                throw new IllegalStateException("consumer did not start:\n" + concurrent.output());
            }
            Child orderly = clients.startConsumer("orderly", AGENT, "--namesrv", ns.address, "--topic", TOPIC, "--group", "doctor-retry-orderly",
                    "--orderly", "true", "--fail-tag", "poison", "--stop-file", o.dir.resolve("stop-orderly").toString(), "--timeout-ms", "120000");
            // the orderly consumer runs until its agent has told the stuck queue (or two minutes)
            long deadline = System.currentTimeMillis() + 120_000;
            while (AgentOutput.message(clients.doctorDir("orderly"), RetriesFeature.ORDERLY_STUCK) == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
            }
            java.nio.file.Files.writeString(o.dir.resolve("stop-orderly"), "stop");
            Map<String, Object> r = o.result(name());
            Map<String, Object> c = Clients.result(concurrent, 180_000);
            Map<String, Object> d = Clients.result(orderly, 180_000);
            long poison = COUNT / 10;
            r.put("consumer", Map.of("consumed", Clients.count(c.get("byTag"), "ok"), "poisonDeliveries", c.get("failedDeliveries")));
            r.put("consumerSaid", AgentOutput.message(clients.doctorDir("consumer"), RetriesFeature.SENT_BACK_FINDING));
            r.put("consumerDeadLetterSaid", AgentOutput.message(clients.doctorDir("consumer"), RetriesFeature.DEAD_LETTERED_FINDING));
            r.put("orderly", Map.of("consumed", Clients.count(d.get("byTag"), "ok"), "poisonDeliveries", d.get("failedDeliveries")));
            r.put("orderlySaid", AgentOutput.message(clients.doctorDir("orderly"), RetriesFeature.ORDERLY_STUCK));
            long deliveries = ((Number) c.get("failedDeliveries")).longValue();
            boolean ok = deliveries == poison * (MAX_RECONSUME + 1) && Clients.count(c.get("byTag"), "ok") == COUNT - poison
                    && String.valueOf(r.get("consumerSaid")).contains("IllegalStateException")
                    && String.valueOf(r.get("consumerDeadLetterSaid")).contains("%DLQ%doctor-retry")
                    && r.get("orderlySaid") != null;
            String why = "the concurrent consumer's " + poison + " poison messages came " + deliveries + " times in all (each "
                    + (MAX_RECONSUME + 1) + " times) before going to %DLQ%doctor-retry, the exception named; the orderly consumer's "
                    + "poison messages came " + d.get("failedDeliveries") + " times in all, each holding its queue, told at the 16th delivery of one";
            return new Outcome(r, ok, ok ? why : "expected: " + why);
        }
    }
}
