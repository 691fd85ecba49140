package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.clients.ProducerMain;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A RocketMQ 5.5.0 producer on Java 25 through a real broker, without and with the agent. With the agent
 * it prints no line the JVM did not print without it, apart from the agent's own [rocketmq-doctor] lines (on
 * Java 24+ Byte Buddy's Unsafe-based injector used to add four "sun.misc.Unsafe" warnings naming our jar).
 */
@RealProcesses
class Java25ProducerTest {
    @Test
    void aProducerOnJava25PrintsNothingMoreThanTheAgentsLines() throws Exception {
        String java25 = Tools.java25("a RocketMQ producer on Java 25").toString();
        Path dir = Paths.get(System.getProperty("doctor.work.dir", "target/it-work"), "java25-producer-" + System.nanoTime()).toAbsolutePath();
        try (Cluster cluster = new Cluster("5.5.0", dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients("5.5.0", dir.resolve("clients")).java(java25);
            List<String> withoutLines = lines(clients, "without", null, ns.address);
            List<String> withLines = lines(clients, "with", "interval=1s", ns.address);
            List<String> added = new ArrayList<>();
            for (String l : withLines) if (!l.startsWith("[rocketmq-doctor] ") && !withoutLines.contains(l)) added.add(l);
            assertEquals(Collections.emptyList(), added, "lines only the run with the agent printed");
            assertTrue(withLines.stream().anyMatch(l -> l.startsWith("[rocketmq-doctor] remoting: instrumented")), withLines.toString());
            assertEquals(300L, RemotingAgentTest.sendCount(AgentOutput.hlog(clients.doctorDir("with"))));
        }
    }

    /** The producer's output lines that are not its own result/progress lines (those carry run-specific figures). */
    private static List<String> lines(Clients clients, String name, String agent, String namesrv) throws Exception {
        Child p = clients.start(name, "ProducerMain", agent, Collections.emptyList(),
                "--namesrv", namesrv, "--topic", "DoctorJava25", "--count", "300", "--linger-ms", "1500");
        Map<String, Object> r = Clients.result(p, 180_000);
        assertEquals(300L, r.get("sent"), r.toString());
        List<String> l = new ArrayList<>();
        for (String line : p.output().split("\n")) {
            if (line.isBlank() || line.startsWith(Clients.RESULT_PREFIX) || line.startsWith("FIRST") || line.startsWith("first send")
                    || line.startsWith(ProducerMain.STARTED) || line.startsWith(ProducerMain.SENDING_DONE)) continue;
            l.add(line);
        }
        return l;
    }
}
