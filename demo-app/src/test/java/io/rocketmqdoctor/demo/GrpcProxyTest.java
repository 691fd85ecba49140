package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.grpc.GrpcFeature;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.RocketMqDist;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import io.rocketmqdoctor.demo.scenarios.GrpcBasicScenario;
import io.rocketmqdoctor.demo.scenarios.HalfOpenScenario;
import io.rocketmqdoctor.demo.scenarios.ProxyRestartScenario;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RocketMQ 5's gRPC client through a real proxy (rocketmq-proxy 5.5.0 in local mode, its broker inside): every send,
 * receive and ack call timed, on the oldest and newest client on Maven Central; a client pointed at a name server
 * told so; a restarted proxy measured (no warning); a half-open connection named, and replaced by the fix. (The demo's
 * proxy-restart also hangs the proxy first: the test leaves that to the half-open connection, the same symptom.)
 */
@RealProcesses
class GrpcProxyTest {
    @Test
    @SuppressWarnings("unchecked")
    void everySendReceiveAndAckIsCountedOnTheOldestAndNewestClient() throws Exception {
        List<String> releases = List.of("5.0.0", "5.2.0");
        Path dir = Scenarios.workDir("grpc-basic");
        Scenario.Outcome o = new GrpcBasicScenario().run(new Scenario.Options(false, "5.0.0", RocketMqDist.serverFor("5.0.0"), dir), releases);
        System.out.println("RESULT " + o.result);
        assertTrue(o.ok, o.why + " " + o.result);
        for (String release : releases) {
            Map<String, Object> r = (Map<String, Object>) o.result.get(release);
            assertEquals(200L, ((Number) r.get("received")).longValue(), release + ": " + r);
            assertEquals(((Number) r.get("receiveCalls")).longValue(), ((Number) r.get("agentReceiveCalls")).longValue(), release + ": " + r);
            assertTrue(((java.util.Collection<?>) r.get("findings")).isEmpty(), "a healthy client hears nothing: " + r);
        }
    }

    /** rocketmq-clients #281: the endpoint set to the name server's port. */
    @Test
    void aClientPointedAtTheNameServerIsToldItIsNotAProxy() throws Exception {
        Path dir = Scenarios.workDir("grpc-namesrv");
        try (Cluster cluster = new Cluster("5.5.0", dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            String printed = TestMains.run(dir, "client", "output.dir=" + dir.resolve("doctor"), List.of(), GrpcClientMain.class,
                    RocketMqDist.classPath("client-java", "5.2.0"), ns.address);
            assertTrue(printed.contains("GRPC build failed"), printed);
            List<Map<String, Object>> f = AgentOutput.findings(dir.resolve("doctor"), GrpcFeature.NOT_A_PROXY);
            assertFalse(f.isEmpty(), printed);
            // one cause: its repeats (the client retries its route query) are the same finding, counted
            for (Map<String, Object> one : f) assertTrue(String.valueOf(one.get("message")).contains("ipv4:" + ns.address), f.toString());
            assertFalse(printed.contains("WARN"), printed);
        }
    }

    /** apache/rocketmq #9170 on the oldest client: after a proxy's SIGKILL and restart it receives again, and nobody is paged. */
    @Test
    @SuppressWarnings("unchecked")
    void theOldestClientReceivesAgainAfterItsProxyRestartsAndNothingIsWarned() throws Exception {
        Scenario.Outcome o = Scenarios.run(new ProxyRestartScenario(false), "5.0.0", false);
        assertTrue(o.ok, o.why + " " + o.result);
        assertEquals(0, ((Number) o.result.get("lost")).intValue(), o.result.toString());
        assertTrue(((Number) ((Map<String, Object>) o.result.get("restart")).get("receivedAfter")).longValue() > 0, o.result.toString());
        assertTrue(((java.util.Collection<?>) o.result.get("endpointFailing")).isEmpty(), o.result.toString());
    }

    /**
     * 5.0.7 (no keepalive): on a half-open connection a client neither sends nor receives again; beside it, one with
     * grpc.fix makes new connections and sends again (its consumer's receipts resume later: measured in the docs).
     */
    @Test
    @SuppressWarnings("unchecked")
    void aHalfOpenConnectionIsNamedAndTheFixMakesANewOne() throws Exception {
        Scenario.Outcome o = Scenarios.run(new HalfOpenScenario(), "5.0.7", true);
        assertTrue(o.ok, o.why + " " + o.result);
        Map<String, Object> plain = (Map<String, Object>) o.result.get("plain");
        Map<String, Object> fixed = (Map<String, Object>) o.result.get("fixed");
        assertEquals(0L, ((Number) plain.get("sentAfterSilence")).longValue(), plain.toString());
        assertEquals(0L, ((Number) plain.get("receivedAfterSilence")).longValue(), plain.toString());
        assertEquals(null, plain.get("channelReset"), "no fix, no reset: " + plain);
        assertTrue(String.valueOf(plain.get("endpointFailing")).contains("grpc DEADLINE_EXCEEDED"), plain.toString());
        assertTrue(((Number) fixed.get("sentAfterSilence")).longValue() > 0, fixed.toString());
        assertTrue(String.valueOf(fixed.get("channelReset")).contains("enterIdle"), fixed.toString());
    }
}
