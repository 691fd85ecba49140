package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.consumer.ConsumerFeature;
import io.rocketmqdoctor.advices.remoting.RemotingFeature;
import io.rocketmqdoctor.catalog.AgentCatalog;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.Jvm;
import io.rocketmqdoctor.demo.harness.NeighbourAgents;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent beside the other agents a JVM already has, loaded before ours (JAVA_TOOL_OPTIONS, as OpenTelemetry's
 * Kubernetes operator injects it: the JVM reads it before the command line) and after ours: a producer and a push
 * consumer on a real 4.9.7 broker weave the same classes as with no neighbour, every send and every consume call is
 * counted, and nothing fails to weave.
 */
@RealProcesses
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NeighbourAgentsTest {
    static final String CLIENT = "4.9.7";
    static final int MESSAGES = 200;
    static final Pattern WOVEN = Pattern.compile("\\[rocketmq-doctor] (\\w+): instrumented (\\S+) ");

    Cluster cluster;
    Cluster.Server ns;
    Path dir;
    TreeSet<String> alone;

    @BeforeAll
    void cluster() throws Exception {
        dir = Scenarios.workDir("neighbours");
        cluster = new Cluster(CLIENT, dir.resolve("cluster"));
        ns = Scenarios.nameServerAndBroker(cluster);
        alone = run("alone", null, false);
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    @ParameterizedTest(name = "{0}, loaded {1} ours")
    @CsvSource({"OPENTELEMETRY, before", "OPENTELEMETRY, after", "ELASTIC_APM, before", "ELASTIC_APM, after"})
    void everyFeatureWovenAndEveryCallCounted(NeighbourAgents neighbour, String order) throws Exception {
        TreeSet<String> woven = run(neighbour.name().toLowerCase() + "-" + order, neighbour, order.equals("before"));
        assertEquals(alone, woven, "the classes woven beside " + neighbour + " (" + order + " ours) are those woven with no neighbour");
    }

    /** A producer and a push consumer with {@code neighbour} loaded before or after ours: the classes our agent wove. */
    private TreeSet<String> run(String name, NeighbourAgents neighbour, boolean neighbourFirst) throws Exception {
        Clients clients = new Clients(CLIENT, dir.resolve(name));
        String topic = "Neighbour" + name.replaceAll("[^A-Za-z]", "");
        String ours = "interval=1s";
        List<String> jvm = new ArrayList<>();
        String agentArgs = ours;
        if (neighbour != null && neighbourFirst) {
            clients.withEnv(Collections.singletonMap("JAVA_TOOL_OPTIONS", neighbour.toolOptions()));
        } else if (neighbour != null) {
            agentArgs = null;                                   // ours on the command line, the neighbour after it
            jvm.add("-javaagent:" + Jvm.agentJar() + "=" + ours);
            jvm.addAll(neighbour.jvmOptions());
        }
        Child producer = clients.start("producer", "ProducerMain", agentArgs, jvm,
                "--namesrv", ns.address, "--topic", topic, "--count", String.valueOf(MESSAGES));
        Map<String, Object> p = Clients.result(producer, 180_000);
        assertEquals((long) MESSAGES, ((Number) p.get("sent")).longValue(), p.toString());
        Child consumer = clients.start("consumer", "ConsumerMain", agentArgs, jvm,
                "--namesrv", ns.address, "--topic", topic, "--group", "doctor-" + topic, "--expect", String.valueOf(MESSAGES),
                "--timeout-ms", "120000");
        Map<String, Object> c = Clients.result(consumer, 180_000);
        assertEquals((long) MESSAGES, ((Number) c.get("distinct")).longValue(), c.toString());

        for (Child ch : new Child[]{producer, consumer}) {
            assertFalse(ch.output().contains("could not instrument"), name + ": " + ch.output());
            if (neighbour != null) assertTrue(ch.output().contains(neighbour.started), "the neighbour ran: " + ch.output());
        }
        Path pd = clients.doctorDir("producer");
        Path cd = clients.doctorDir("consumer");
        for (Path d : new Path[]{pd, cd}) {
            TreeSet<String> codes = AgentOutput.codes(d);
            assertFalse(codes.contains(AgentCatalog.TRANSFORM_FAILED) || codes.contains(AgentCatalog.ADVICE_ERROR), name + ": " + codes);
        }
        long sends = AgentOutput.summaryCountStartingWith(pd, RemotingFeature.CLIENT_HISTOGRAM + ";" + RemotingAgentTest.SEND);
        assertEquals((long) MESSAGES, sends, name + ": every send timed once: " + AgentOutput.summary(pd));
        long calls = AgentOutput.summaryCountStartingWith(cd, ConsumerFeature.CONSUME_HISTOGRAM + ";group=doctor-" + topic);
        assertEquals(((Number) c.get("received")).longValue(), calls, name + ": every consume call timed once: " + AgentOutput.summary(cd));

        TreeSet<String> woven = new TreeSet<>();
        for (Child ch : new Child[]{producer, consumer}) {
            Matcher m = WOVEN.matcher(ch.output());
            while (m.find()) woven.add(ch.name() + " " + m.group(1) + " " + m.group(2));
        }
        assertTrue(woven.stream().anyMatch(w -> w.startsWith("consumer consumer ") && w.endsWith("$ConsumeRequest")), name + ": " + woven);
        return woven;
    }
}
