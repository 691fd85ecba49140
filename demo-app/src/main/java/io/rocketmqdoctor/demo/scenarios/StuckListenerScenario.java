package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.consumer.ConsumerFeature;
import io.rocketmqdoctor.demo.clients.ConsumerMain;
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
 * One message blocks its listener call for 70 s (a database or HTTP call without a timeout)
 * while a producer sends 20 messages a second. With consumer.stuck=15s the agent reports the call once, with the
 * thread's stack (the listener, in Thread.sleep) and the queue whose committed offset it holds (at the stuck message's
 * own offset); the other messages keep being consumed by the other threads meanwhile. The consumer's consumeTimeout is 1 min: past it the agent says the message will be redelivered.
 */
public final class StuckListenerScenario implements Scenario {
    static final String TOPIC = "DoctorStuck";
    static final long BLOCK_MS = 70_000;
    static final long SEND_MS = 30_000;

    @Override
    public String name() { return "stuck-listener"; }

    @Override
    public String description() {
        return "one message blocks its listener for 70 s: the findings name the thread's stack, the queue it pins, and its redelivery past consumeTimeout";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    @SuppressWarnings("unchecked")
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Cluster.Server broker = cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            clients.createTopic(ns.address, broker.address, TOPIC, 8);
            Path stop = o.dir.resolve("stop");
            Child consumer = clients.startConsumer("consumer", "interval=1s,consumer.stuck=15s", "--namesrv", ns.address, "--topic", TOPIC,
                    "--group", "doctor-stuck", "--block-queue", "0", "--block-ms", String.valueOf(BLOCK_MS), "--consume-timeout-min", "1", "--timeout-ms", "600000", "--stop-file", stop.toString());
            Child producer = clients.start("producer", "ProducerMain", null, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", TOPIC, "--rate", "20", "--duration-ms", String.valueOf(SEND_MS));
            Matcher blocking = consumer.awaitLine("^" + ConsumerMain.BLOCKING + " (\\d+) ", 60_000);
            long blockedAt = blocking == null ? 0 : Long.parseLong(blocking.group(1));
            Map<String, Object> p = Clients.result(producer, SEND_MS + 60_000);
            long sent = ((Number) p.get("sent")).longValue();
            Path doctor = clients.doctorDir("consumer");
            Map<String, Object> stuck = AgentOutput.await(doctor, ConsumerFeature.LISTENER_STUCK, 30_000);
            long consumedWhileBlocked = SlowConsumerScenario.progress(consumer)[0];
            Map<String, Object> timedOut = AgentOutput.await(doctor, ConsumerFeature.CONSUME_TIMEOUT, BLOCK_MS);
            Files.writeString(stop, String.valueOf(Long.MAX_VALUE));
            Clients.result(consumer, 90_000);
            Map<String, Object> r = o.result(name());
            r.put("sent", sent);
            r.put("consumedWhileBlocked", consumedWhileBlocked);
            r.put("reportedAfterMs", stuck == null ? null : java.time.Instant.parse((String) stuck.get("time")).toEpochMilli() - blockedAt);
            Map<String, Object> ev = stuck == null ? Collections.emptyMap() : AgentOutput.evidence(stuck);
            List<String> stack = (List<String>) ev.getOrDefault("stack", Collections.emptyList());
            r.put("stuckThread", ev.get("thread"));
            r.put("stuckQueue", ev.get("queue"));
            r.put("stackTop", stack.isEmpty() ? null : stack.get(0));
            r.put("messageOffset", ev.get("messageOffset"));
            r.put("committedOffset", ev.get("committedOffset"));
            r.put("queueCachedMessages", ev.get("cachedMessages"));
            r.put("pastConsumeTimeoutAfterMs", timedOut == null ? null
                    : java.time.Instant.parse((String) timedOut.get("time")).toEpochMilli() - blockedAt);
            r.put("stuckReports", AgentOutput.findings(doctor, ConsumerFeature.LISTENER_STUCK).size());
            boolean inListener = false;
            for (String frame : stack) inListener |= frame.contains("ConsumerMain");
            boolean pinned = ev.get("messageOffset") != null && String.valueOf(ev.get("messageOffset")).equals(String.valueOf(ev.get("committedOffset")));
            boolean ok = stuck != null && inListener && String.valueOf(ev.get("queue")).contains("queueId=0") && pinned
                    && consumedWhileBlocked >= sent - 1 - sent / 10 && timedOut != null;
            return new Outcome(r, ok, "expected consumer.listener-stuck naming the listener's frames and queue 0 pinned at the stuck message's offset, "
                    + "the other messages consumed meanwhile, and consumer.consume-timeout after a minute");
        }
    }
}
