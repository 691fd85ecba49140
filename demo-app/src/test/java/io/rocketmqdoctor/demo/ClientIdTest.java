package io.rocketmqdoctor.demo;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import io.rocketmqdoctor.advices.clientid.ClientIdFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.RocketMqDist;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * clientid judges the id a started client's instance has, not an id built before start(): a 5.x producer, whose
 * constructor builds an id with the name DEFAULT before start() makes it pid#nanoTime, gets no finding; a client
 * instance that really is named DEFAULT (made straight from a ClientConfig) is a warning on any release. A bare PID
 * in a container is TwinConsumersTest's (4.8.0, PID namespaces).
 */
@RealProcesses
@Execution(ExecutionMode.CONCURRENT)
class ClientIdTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.3.0", "5.5.0"})
    @SuppressWarnings("unchecked")
    void onlyAnInstanceThatReallyIsDefaultIsWarnedOf(String client) throws Exception {
        Path dir = Scenarios.workDir("clientid-" + client);
        try (Cluster cluster = new Cluster(RocketMqDist.serverFor(client), dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Clients clients = new Clients(client, dir.resolve("clients"));
            Child app = clients.start("app", "DirectInstanceMain", "interval=1s", Collections.emptyList(), "--namesrv", ns.address);
            Map<String, Object> r = Clients.result(app, 60_000);
            String direct = String.valueOf(r.get("directId"));
            String producer = String.valueOf(r.get("producerId"));
            assertTrue(direct.endsWith("@DEFAULT") && !producer.endsWith("@DEFAULT"), "harness: " + r);
            List<Map<String, Object>> found = AgentOutput.findings(clients.doctorDir("app"), ClientIdFeature.COLLISION_PRONE);
            Map<String, Object> warned = null;
            for (Map<String, Object> f : found) {
                Map<String, Object> ev = AgentOutput.evidence(f);
                if (direct.equals(ev.get("clientId"))) {
                    warned = f;
                } else {
                    // the started producer: never for the name DEFAULT it had before start(); up to 4.8.x its name is
                    // its PID (unique on a host: info; repeated in containers: warn); on any release a loopback or
                    // bridge client IP, if this host gives one, is a reason of its own (warn)
                    assertEquals(producer, ev.get("clientId"), found.toString());
                    String reasons = String.valueOf(ev.get("reasons"));
                    assertFalse(reasons.contains("DEFAULT"), "the producer is judged as started, not by its pre-start name: " + found);
                    assertEquals(client.startsWith("4."), reasons.contains("only a PID"), "4.x names a client by its PID, 5.x by pid#nanoTime: " + found);
                    boolean warn = reasons.contains("client IP") || !"host".equals(ev.get("pidNamespace"));
                    assertEquals(warn ? "warn" : "info", f.get("severity"), found.toString());
                }
            }
            assertNotNull(warned, "the instance named DEFAULT is reported: " + found);
            assertEquals("warn", warned.get("severity"), warned.toString());
            assertTrue(String.valueOf(warned.get("message")).contains("instance name is DEFAULT"), warned.toString());
        }
    }
}
