package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import io.rocketmqdoctor.demo.scenarios.TwinConsumersScenario;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three producer JVMs given one output.dir, two of them as PID 1 in PID namespaces of their own (two containers on
 * one volume), started together: three histogram logs, each read back whole by HdrHistogram's reader with exactly
 * its own JVM's sends; never a file with two writers.
 */
@RealProcesses
class SharedOutputDirTest {
    static final int SENDS = 100;

    @Test
    void everyJvmWritesItsOwnFiles() throws Exception {
        Path dir = Paths.get(System.getProperty("doctor.work.dir", "target/it-work"), "shared-output-" + System.nanoTime()).toAbsolutePath();
        Path shared = dir.resolve("shared-doctor");
        try (Cluster cluster = new Cluster("4.9.7", dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients("4.9.7", dir.resolve("clients"));
            boolean namespaces = TwinConsumersScenario.unshareWorks();
            List<Child> producers = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                List<String> wrapper = namespaces && i > 1
                        ? Arrays.asList("unshare", "--pid", "--fork", "--mount-proc", "--kill-child=SIGTERM") : Collections.<String>emptyList();
                producers.add(clients.start("producer-" + i, "ProducerMain", "interval=1s,output.dir=" + shared, Collections.emptyList(), wrapper,
                        "--namesrv", ns.address, "--topic", "DoctorShared", "--count", String.valueOf(SENDS), "--linger-ms", "1500"));
            }
            for (Child p : producers) {
                Map<String, Object> r = Clients.result(p, 180_000);
                assertEquals((long) SENDS, r.get("sent"), r.toString());
            }
            List<Path> logs = AgentOutput.files(shared, "histograms", "hlog");
            assertEquals(3, logs.size(), "one histogram log per JVM: " + logs);
            assertEquals(3, new HashSet<>(logs).size());
            for (Path hlog : logs) assertEquals(SENDS, RemotingAgentTest.sendCount(hlog), hlog.toString());
            assertEquals(3, AgentOutput.files(shared, "summary", "txt").size());
            if (namespaces) {
                long pidOnes = logs.stream().filter(p -> p.getFileName().toString().matches("histograms\\.\\d{8}-\\d{6}\\..+\\.1(-\\d+)?\\.hlog")).count();
                assertEquals(2, pidOnes, "two PID-1 JVMs: " + logs);
            }
        }
    }
}
