package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.offsets.OffsetsFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A group consumes a topic's messages and stops; its offsets are then set past the queues' ends with the admin
 * request (UPDATE_CONSUMER_OFFSET), as after a consume queue lost or rebuilt shorter; the group starts again. A broker
 * up to 4.9.3 corrects an offset past the end to the queue's start when its min offset is 0 (apache/rocketmq #4215), so
 * the group consumes every message a second time; 4.9.4+ (#4219) and offsets.fix correct it to the end. Beside it a
 * new group with CONSUME_FROM_LAST_OFFSET starts on the same young topic and is told to start at 0. With --fix a second
 * broker runs offsets.fix, and the same steps run on its topic at the same time.
 */
public final class OffsetRewindScenario implements Scenario {
    static final int COUNT = 100;
    static final String AGENT = "interval=1s";

    @Override
    public String name() { return "offset-rewind"; }

    @Override
    public String description() {
        return "an offset past the queue's end: up to 4.9.3 the broker moves it to 0 and the group consumes everything again (fix: to the end)";
    }

    @Override
    public String defaultRocketmq() { return "4.8.0"; }

    /** One broker's side: its topic, the group that consumes it twice, and what its agent said. */
    private static final class Side {
        final String label;
        final Cluster.Server broker;
        final String topic;
        final String group;
        Child consumer;
        Child newGroup;

        Path stop(Options o) {
            return o.dir.resolve("stop-" + label);
        }

        Side(String label, Cluster.Server broker) {
            this.label = label;
            this.broker = broker;
            this.topic = "DoctorRewind" + label.toUpperCase();
            this.group = "doctor-rewind-" + label;
        }
    }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.withAgent(AGENT);
            Side plain = new Side("a", cluster.startBroker("broker-a", List.of(ns.address), Collections.emptyMap()));
            cluster.withAgent(AGENT + ",offsets.fix=true");
            Side fixed = o.fix ? new Side("b", cluster.startBroker("broker-b", List.of(ns.address), Collections.emptyMap())) : null;
            List<Side> sides = fixed == null ? List.of(plain) : List.of(plain, fixed);
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            for (Side s : sides) {
                clients.createTopic(ns.address, s.broker.address, s.topic, 4);
                Clients.result(clients.start("producer-" + s.label, "ProducerMain", null, Collections.emptyList(), "--namesrv", ns.address,
                        "--topic", s.topic, "--count", String.valueOf(COUNT), "--group", "doctor-rewind-producer-" + s.label), 120_000);
            }
            Map<String, Object> r = o.result(name());
            for (Side s : sides) s.consumer = consumer(clients, s, "1", ns.address, "60000", "--expect", String.valueOf(COUNT));
            for (Side s : sides) r.put("consumedFirst" + s.label.toUpperCase(), Clients.result(s.consumer, 120_000).get("distinct"));
            for (Side s : sides) {
                Clients.result(clients.start("push-offset-" + s.label, "OffsetPushMain", null, Collections.emptyList(), "--namesrv", ns.address,
                        "--broker", s.broker.address, "--broker-name", "broker-" + s.label, "--topic", s.topic, "--group", s.group,
                        "--beyond", "1000"), 60_000);
            }
            boolean buggy = overflowsToZero(o.server);
            for (Side s : sides) {
                // the group again: where all is consumed a second time, until it is (a loaded 5.x client takes its time to
                // rebalance); where nothing should come, until the consumer has taken the broker's correction (its agent
                // says so: 10 s after the pull on 4.x, at once from 5.2), and 5 s more: from then on it pulls at the end
                s.consumer = buggy && s == plain
                        ? consumer(clients, s, "2", ns.address, "120000", "--expect", String.valueOf(COUNT))
                        : consumer(clients, s, "2", ns.address, "120000", "--stop-file", s.stop(o).toString());
                // a new group on the same young topic (its first message still in memory), from the last offset
                s.newGroup = clients.startConsumer("new-group-" + s.label, AGENT, "--namesrv", ns.address, "--topic", s.topic,
                        "--group", "doctor-rewind-new-" + s.label, "--from", "last", "--expect", String.valueOf(COUNT),
                        "--timeout-ms", "120000");
            }
            boolean ok = true;
            StringBuilder why = new StringBuilder();
            for (Side s : sides) {
                if (buggy && s == plain) continue;
                Path said = clients.doctorDir("consumer-" + s.label + "-2");
                long deadline = System.currentTimeMillis() + 120_000;
                while (AgentOutput.message(said, OffsetsFeature.REWIND) == null && System.currentTimeMillis() < deadline) Thread.sleep(500);
                Thread.sleep(5000);
                java.nio.file.Files.writeString(s.stop(o), "stop");
            }
            for (Side s : sides) {
                String k = s.label.toUpperCase();
                long again = ((Number) Clients.result(s.consumer, 180_000).get("received")).longValue();
                long newGroup = ((Number) Clients.result(s.newGroup, 180_000).get("received")).longValue();
                Path doctor = o.dir.resolve("cluster").resolve("broker-" + s.label).resolve("doctor");
                r.put("consumedTwice" + k, again);
                r.put("newGroupConsumed" + k, newGroup);
                r.put("broker" + k + "Said", AgentOutput.message(doctor, OffsetsFeature.REWIND));
                r.put("broker" + k + "NewGroupSaid", AgentOutput.message(doctor, OffsetsFeature.NEW_GROUP_FROM_ZERO));
                if (s == fixed) r.put("broker" + k + "Fixed", AgentOutput.message(doctor, OffsetsFeature.OVERFLOW_FIXED));
                r.put("consumer" + k + "Said", AgentOutput.message(clients.doctorDir("consumer-" + s.label + "-2"), OffsetsFeature.REWIND));
                boolean expectAgain = buggy && s == plain;
                ok &= expectAgain ? again >= COUNT : again == 0;
                ok &= r.get("broker" + k + "Said") != null && newGroup == COUNT && r.get("broker" + k + "NewGroupSaid") != null;
                why.append(s == plain ? "plain broker: " : "; offsets.fix broker: ").append(again).append(" of ").append(COUNT)
                        .append(" consumed twice (expected ").append(expectAgain ? COUNT : 0).append("), the correction named; the new group got ")
                        .append(newGroup).append(" old messages and was told why");
            }
            return new Outcome(r, ok, ok ? why.toString() : "expected: " + why);
        }
    }

    private static Child consumer(Clients clients, Side s, String run, String namesrv, String timeout, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--namesrv", namesrv, "--topic", s.topic, "--group", s.group,
                "--timeout-ms", timeout));
        args.addAll(List.of(more));
        return clients.startConsumer("consumer-" + s.label + "-" + run, AGENT, args.toArray(new String[0]));
    }

    /** Brokers up to 4.9.3 move an offset past the end to 0 when the queue's min offset is 0 (fixed by apache/rocketmq #4219). */
    static boolean overflowsToZero(String server) {
        String[] v = server.split("\\.");
        int major = Integer.parseInt(v[0]);
        int minor = Integer.parseInt(v[1]);
        int patch = Integer.parseInt(v[2]);
        return major == 4 && (minor < 9 || minor == 9 && patch <= 3);
    }
}
