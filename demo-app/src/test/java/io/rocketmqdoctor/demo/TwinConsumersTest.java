package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.rebalance.RebalanceFeature;
import io.rocketmqdoctor.advices.clientid.ClientIdFeature;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import io.rocketmqdoctor.demo.scenarios.TwinConsumersScenario;
import io.rocketmqdoctor.demo.clients.ConsumerMain;
import io.rocketmqdoctor.demo.clients.ProducerMain;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.RocketMqDist;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incident 1 on client 4.8.0 (twins made by PID namespaces, default instance name) and on 4.9.7 and 5.5.0
 * (explicit shared instance name), without and with the fix.
 */
@RealProcesses
class TwinConsumersTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.8.0", "4.9.7", "5.5.0"})
    void twinsShareHalfTheQueuesUntilTheFixMakesThemDistinct(String client) throws Exception {
        Scenario.Outcome[] both = Scenarios.withoutAndWith(TwinConsumersScenario::new, client);
        Scenario.Outcome without = both[0];
        assertTrue(without.ok, without.why + " " + without.result);
        assertEquals(4, without.result.get("queuesConsumed"));
        assertTrue((Long) without.result.get("backlog") > 0);
        Object after = without.result.get("findingAfterJoinMs");
        assertNotNull(after, "rebalance.duplicate-client-id is reported");
        assertTrue(((Number) after).longValue() < 20_000, "within one rebalance interval (20 s) of the second twin joining: " + after);
        if (client.equals("4.8.0")) {
            assertTrue(String.valueOf(without.result.get("twins")).startsWith("pid-namespace"), without.result.toString());
            assertTrue(((java.util.Collection<?>) without.result.get("findings")).contains(ClientIdFeature.COLLISION_PRONE), without.result.toString());
        }

        Scenario.Outcome with = both[1];
        assertTrue(with.ok, with.why + " " + with.result);
        assertEquals(8, with.result.get("queuesConsumed"));
        assertEquals(0L, with.result.get("backlog"));
        assertEquals(with.result.get("sent"), with.result.get("received"));
        assertFalse(((java.util.Collection<?>) with.result.get("findings")).contains(RebalanceFeature.ORPHANED_QUEUES));
    }

    /**
     * A BROADCASTING consumer keeps its offsets in a local file under its client id; the fix must
     * never change that id, or a restart finds no offsets and replays (or skips) messages. With the fix on in its
     * widest mode (always), a BROADCASTING consumer with an explicit name is stopped and started again while a producer
     * sends: across the two runs every message is received exactly once. 4.8.0: the last release whose default name
     * is a bare PID; 5.5.0: the newest.
     */
    @ParameterizedTest
    @ValueSource(strings = {"4.8.0", "5.5.0"})
    void aBroadcastingConsumerKeepsItsOffsetsAcrossARestart(String client) throws Exception {
        Path dir = Scenarios.workDir("broadcast-" + client);
        try (Cluster cluster = new Cluster(RocketMqDist.serverFor(client), dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Cluster.Server broker = cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients(client, dir.resolve("clients"));
            clients.createTopic(ns.address, broker.address, "DoctorBroadcast", 8);
            String agent = "interval=1s,clientid.fix=true,clientid.fix.mode=always";
            Path stop1 = dir.resolve("stop-1");
            Path stop2 = dir.resolve("stop-2");
            Path ids1 = dir.resolve("ids-1");
            Path ids2 = dir.resolve("ids-2");
            // the same name ("consumer": the same home, so the same local offset store) for both runs
            Child first = clients.start("consumer", "ConsumerMain", agent, Collections.emptyList(), "--namesrv", ns.address,
                    "--topic", "DoctorBroadcast", "--group", "doctor-broadcast", "--broadcasting", "true", "--instance-name", "bcast-1",
                    "--timeout-ms", "180000", "--stop-file", stop1.toString(), "--ids-file", ids1.toString());
            assertNotNull(first.awaitLine(ConsumerMain.STARTED, 60_000), first.output());
            Child producer = clients.start("producer", "ProducerMain", null, Collections.emptyList(), "--namesrv", ns.address,
                    "--topic", "DoctorBroadcast", "--count", "600", "--rate", "40");
            assertNotNull(producer.awaitLine(ProducerMain.FIRST_SEND, 60_000), producer.output());
            Thread.sleep(5000);
            Files.writeString(stop1, String.valueOf(Long.MAX_VALUE));    // every message it took counts
            // its JVM ends: no client instance of the agent's making is left behind (the client's own producer was once
            // renamed into an instance of its own, never started, whose scheduler kept the JVM alive)
            assertEquals(0, first.waitFor(30_000), "the first run's JVM exits after its consumer shut down:\n" + first.output());
            Map<String, Object> r1 = Clients.result(first, 60_000);
            String firstOut = first.output();                          // the second run writes the same log file
            Child second = clients.start("consumer", "ConsumerMain", agent, Collections.emptyList(), "--namesrv", ns.address,
                    "--topic", "DoctorBroadcast", "--group", "doctor-broadcast", "--broadcasting", "true", "--instance-name", "bcast-1",
                    "--timeout-ms", "180000", "--stop-file", stop2.toString(), "--ids-file", ids2.toString());
            Map<String, Object> p = Clients.result(producer, 120_000);
            long sent = ((Number) p.get("sent")).longValue();
            assertEquals(600L, sent, p.toString());
            java.util.Set<String> all = new java.util.HashSet<>(Files.readAllLines(ids1));
            long deadline = System.currentTimeMillis() + 60_000;
            // the second run stops once it has what the first did not take (or after a minute)
            while (System.currentTimeMillis() < deadline && !secondHasTheRest(second, sent - all.size())) Thread.sleep(500);
            Files.writeString(stop2, String.valueOf(Long.MAX_VALUE));
            Map<String, Object> r2 = Clients.result(second, 60_000);
            all.addAll(Files.readAllLines(ids2));
            long received = ((Number) r1.get("received")).longValue() + ((Number) r2.get("received")).longValue();
            assertTrue(((Number) r1.get("received")).longValue() > 0 && ((Number) r1.get("received")).longValue() < sent,
                    "the first run stopped while the producer sent: " + r1);
            assertEquals(sent, all.size(), "every message received across the restart: first " + r1 + ", second " + r2);
            assertEquals(sent, received, "none twice: the second run went on from the first one's offsets: first " + r1 + ", second " + r2);
            String ids = firstOut + second.output();
            assertFalse(ids.contains("bcast-1#"), "the BROADCASTING consumer's name is never rewritten");
        }
    }

    /** The consumer prints nothing per message: its progress is read from its own CONSUMER-PROGRESS lines. */
    static boolean secondHasTheRest(Child second, long rest) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + ConsumerMain.PROGRESS + " (\\d+) \\d+$").matcher(second.output());
        long last = -1;
        while (m.find()) last = Long.parseLong(m.group(1));
        return last >= rest;
    }
}
