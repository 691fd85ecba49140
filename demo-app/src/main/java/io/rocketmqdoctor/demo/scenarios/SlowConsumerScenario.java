package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.consumer.ConsumerFeature;
import io.rocketmqdoctor.demo.clients.ConsumerMain;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * A listener that takes 200 ms a message, consumeThreadMin 4 and consumeThreadMax 32, and a
 * producer at 50 messages a second for 30 s. RocketMQ's consume pool sits on an unbounded queue, so it never grows
 * past 4 threads: 20 messages a second are consumed and the backlog grows (and with pullThresholdForQueue 50 the
 * client holds back its pulls). With consumer.fix the pool runs 32 threads and keeps up.
 */
public final class SlowConsumerScenario implements Scenario {
    static final String TOPIC = "DoctorSlow";
    static final int QUEUES = 8;
    static final long SEND_MS = 30_000;

    @Override
    public String name() { return "slow-consumer"; }

    @Override
    public String description() {
        return "a 200 ms listener with consumeThreadMin 4 / consumeThreadMax 32: the pool never grows, the backlog does (fix: it grows)";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Cluster.Server broker = cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            clients.createTopic(ns.address, broker.address, TOPIC, QUEUES);
            Path stop = o.dir.resolve("stop");
            Child consumer = clients.startConsumer("consumer", "interval=1s" + (o.fix ? ",consumer.fix=true" : ""), "--namesrv", ns.address, "--topic", TOPIC, "--group", "doctor-slow",
                    "--consume-sleep-ms", "200", "--thread-min", "4", "--thread-max", "32", "--pull-threshold", "50",
                    "--timeout-ms", "600000", "--stop-file", stop.toString());
            Child producer = clients.start("producer", "ProducerMain", null, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", TOPIC, "--rate", "50", "--duration-ms", String.valueOf(SEND_MS));
            Map<String, Object> p = Clients.result(producer, SEND_MS + 60_000);
            long sent = ((Number) p.get("sent")).longValue();
            // what the consumer had when the producer stopped, and its consume threads then
            long[] atEnd = progress(consumer);
            Thread.sleep(3000);
            Files.writeString(stop, String.valueOf(Long.MAX_VALUE));
            Map<String, Object> c = Clients.result(consumer, 60_000);
            Path doctor = clients.doctorDir("consumer");
            Set<String> codes = new TreeSet<>(AgentOutput.codes(doctor));
            Map<String, Object> r = o.result(name());
            r.put("sent", sent);
            r.put("consumedWhileSending", atEnd[0]);
            r.put("consumedPerSecond", Math.round(atEnd[0] * 1000.0 / SEND_MS));
            r.put("backlogWhenSendingStopped", sent - atEnd[0]);
            r.put("consumeThreads", atEnd[1]);
            r.put("consumeCalls", AgentOutput.summaryCountStartingWith(doctor, ConsumerFeature.CONSUME_HISTOGRAM + ";group=doctor-slow;topic=" + TOPIC));
            r.put("findings", codes);
            r.put("received", c.get("received"));
            boolean ok = o.fix
                    ? atEnd[1] > 4 && codes.contains(ConsumerFeature.POOL_RAISED) && !codes.contains(ConsumerFeature.POOL_NEVER_GROWS)
                    : atEnd[1] == 4 && codes.contains(ConsumerFeature.POOL_NEVER_GROWS) && sent - atEnd[0] > sent / 3;
            return new Outcome(r, ok, o.fix
                    ? "expected more than 4 consume threads, consumer.pool-raised and no consumer.pool-never-grows"
                    : "expected 4 consume threads, consumer.pool-never-grows and a backlog of over a third of what was sent");
        }
    }

    /** The consumer's last progress line: distinct messages consumed, live consume threads. */
    static long[] progress(Child consumer) throws InterruptedException {
        Matcher m = java.util.regex.Pattern.compile("(?m)^" + ConsumerMain.PROGRESS + " (\\d+) (\\d+)$").matcher(consumer.output());
        long[] last = {0, 0};
        while (m.find()) {
            last[0] = Long.parseLong(m.group(1));
            last[1] = Long.parseLong(m.group(2));
        }
        return last;
    }
}
