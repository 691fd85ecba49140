package io.rocketmqdoctor.demo;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import io.rocketmqdoctor.advices.consumer.ConsumerFeature;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.RocketMqDist;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import io.rocketmqdoctor.demo.scenarios.MixedSubscriptionsScenario;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On the newest 4.x and 5.x brokers: consumers of one group with different subscriptions. */
@RealProcesses
@Execution(ExecutionMode.CONCURRENT)
class MixedSubscriptionsTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.9.7", "5.5.0"})
    void theBrokerAndTheConsumerNameBothExpressionsOfTheGroup(String client) throws Exception {
        Scenario.Outcome o = Scenarios.run(new MixedSubscriptionsScenario(), client, false);
        assertTrue(o.ok, o.why + " " + o.result);
        assertEquals(Boolean.TRUE, o.result.get("brokerFinding"), o.result.toString());
    }

    /** Two consumers of one group on two topics: each heartbeat replaces the group's topic list on the broker. */
    @ParameterizedTest
    @ValueSource(strings = {"4.9.7", "5.5.0"})
    void consumersOfOneGroupOnDifferentTopicsAreNamed(String client) throws Exception {
        Path dir = Scenarios.workDir("mixed-topics-" + client);
        try (Cluster cluster = new Cluster(RocketMqDist.serverFor(client), dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.withAgent("interval=1s");
            Cluster.Server broker = cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients(client, dir.resolve("clients"));
            clients.createTopic(ns.address, broker.address, "DoctorTopicOne", 4);
            clients.createTopic(ns.address, broker.address, "DoctorTopicTwo", 4);
            Path stop = dir.resolve("stop");
            for (String topic : new String[]{"DoctorTopicOne", "DoctorTopicTwo"}) {
                clients.startConsumer(topic, "interval=1s,consumer.subscription-check=5s", "--namesrv", ns.address, "--topic", topic,
                        "--group", "doctor-two-topics", "--timeout-ms", "600000", "--stop-file", stop.toString());
            }
            Path brokerDoctor = dir.resolve("cluster").resolve("broker-a").resolve("doctor");
            Map<String, Object> onBroker = AgentOutput.await(brokerDoctor, ConsumerFeature.MIXED_SUBSCRIPTIONS, 60_000);
            assertNotNull(onBroker, AgentOutput.codes(brokerDoctor).toString());
            String topics = String.valueOf(AgentOutput.evidence(onBroker).get("topics"));
            assertTrue(topics.contains("[DoctorTopicOne]") && topics.contains("[DoctorTopicTwo]"), topics);
            // the consumer whose topic the broker dropped for the group at the other's heartbeat
            Map<String, Object> onClient = null;
            long end = System.currentTimeMillis() + 60_000;
            while (onClient == null && System.currentTimeMillis() < end) {
                for (String topic : new String[]{"DoctorTopicOne", "DoctorTopicTwo"}) {
                    Map<String, Object> f = AgentOutput.await(clients.doctorDir(topic), ConsumerFeature.SUBSCRIPTION_OVERRIDDEN, 0);
                    if (f != null) onClient = f;
                }
                Thread.sleep(1000);
            }
            Files.writeString(stop, String.valueOf(Long.MAX_VALUE));
            assertNotNull(onClient, "a consumer's " + ConsumerFeature.SUBSCRIPTION_OVERRIDDEN);
            Map<String, Object> ev = AgentOutput.evidence(onClient);
            assertEquals("*", ev.get("expression"), ev.toString());
            assertNull(ev.get("brokerExpression"), "the broker keeps no subscription to the consumer's topic: " + ev);
        }
    }
}
