package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.signals.SignalsFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.Jvm;
import io.rocketmqdoctor.demo.scenarios.BrokerStallScenario;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import io.rocketmqdoctor.demo.scenarios.SighupScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incidents 3 and 5 on real brokers with the agent: the store, stall, os and signals features on 4.9.7 and 5.5.0
 * (and store on 4.3.0, where puts are synchronous and MessageExtBrokerInner is still in the store package).
 */
@RealProcesses
class BrokerHealthTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.3.0", "4.9.7", "5.5.0"})
    @SuppressWarnings("unchecked")
    void aStoppedBrokerIsANonGcStallAndEveryPutIsTimed(String version) throws Exception {
        // store.slow-put.ms=0: every put is "slow", so the finding's fields show on every release.
        Scenario.Outcome o = Scenarios.run(new BrokerStallScenario("store.slow-put.ms=0"), version, false);
        Map<String, Object> r = o.result;
        assertTrue(o.ok, o.why + " " + r);
        long stall = ((Number) r.get("stallDetectedMs")).longValue();
        assertTrue(stall >= 1800 && stall <= 4000, "the broker's hiccup meter measured the 2 s stop: " + r);
        assertEquals(Boolean.FALSE, r.get("stallWasGc"));
        assertNotNull(r.get("directReclaim"), "/proc/vmstat is readable here: " + r);
        assertEquals(r.get("sent"), r.get("received"));
        // The client felt the stop: a send waited for it, or (when a request was read just before the stop) the broker
        // answered it after the stop as expired in its send queue and the send failed (seen once on 5.5.0).
        assertTrue(((Number) r.get("sendP999MsInWindow")).doubleValue() >= 1500 || ((Number) r.get("sendFailures")).longValue() > 0,
                "a send waited for the stopped broker or failed: " + r);

        long sent = ((Number) r.get("sent")).longValue();
        assertTrue(((Number) r.get("brokerPuts")).longValue() >= sent, "every stored message was timed: " + r);
        assertTrue(((Number) r.get("brokerPutsInLock")).longValue() >= sent, "and its time inside the commit-log lock: " + r);
        assertTrue(((Number) r.get("brokerPutsInLock")).longValue() <= ((Number) r.get("brokerPuts")).longValue() + 10,
                "one in-lock time per put, not the flush service's lock: " + r);
        Map<String, Object> slow = (Map<String, Object>) r.get("slowPut");
        assertNotNull(slow, r.toString());
        assertEquals(1024L, ((Number) slow.get("bodyBytes")).longValue());
        assertEquals("DoctorStall", slow.get("topic"));
        assertNotNull(slow.get("putMs"));
        assertNotNull(slow.get("inLockMs"), "the in-lock part is seen on " + version);
        assertTrue(slow.get("gcOverlap") instanceof Boolean);

        Collection<String> findings = (Collection<String>) r.get("findings");
        assertEquals(hostDiffers(), findings.contains("os.memory-settings"), "os.memory-settings iff the host check differs: " + r);
        assertEquals("SIGTERM", r.get("brokerShutdownCause"), "the harness stops brokers with SIGTERM: " + r);
        assertFalse(findings.contains(SignalsFeature.NO_NOHUP), "no terminal, no warning: " + r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.9.7", "5.5.0"})
    void sighupStopsABrokerWithoutNohupUnlessTheFixIgnoresIt(String version) throws Exception {
        Scenario.Outcome[] both = Scenarios.withoutAndWith(SighupScenario::new, version);
        Scenario.Outcome without = both[0];
        assertTrue(without.ok, without.why + " " + without.result);
        assertEquals(Boolean.FALSE, without.result.get("brokerAlive"));
        assertEquals(Boolean.TRUE, without.result.get("causeLogged"));
        assertEquals(Boolean.TRUE, without.result.get("noNohupWarned"));

        Scenario.Outcome with = both[1];
        assertTrue(with.ok, with.why + " " + with.result);
        assertEquals(Boolean.TRUE, with.result.get("brokerAlive"));
        assertEquals(50L, with.result.get("sentAfter"));
        assertEquals(Boolean.TRUE, with.result.get("causeLogged"));
    }

    /** Under nohup in a terminal: SIGHUP is already ignored, so no warning, the fix stays out, and HUP changes nothing. */
    @Test
    void underNohupSignalsAreLeftAlone() throws Exception {
        Path dir = Paths.get(System.getProperty("doctor.work.dir", "target/it-work"), "nohup-" + System.nanoTime()).toAbsolutePath();
        try (Cluster cluster = new Cluster("4.9.7", dir)) {
            cluster.withAgent("interval=1s,signals.fix=true").wrapped(cmd -> Cluster.inTerminal("trap '' HUP; ", cmd));
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Child c = ns.child;
            assertNotNull(c.awaitLine("signals: SIGHUP is ignored \\(started under nohup or similar\\); left alone", 10_000), c.output());
            long pid = c.javaPid();
            c.signalJava("HUP");
            // a JVM that HUP ends may take a moment to go: wait for its end, which must not come
            java.util.concurrent.CompletableFuture<ProcessHandle> end = ProcessHandle.of(pid).map(ProcessHandle::onExit)
                    .orElse(java.util.concurrent.CompletableFuture.completedFuture(null));
            org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.TimeoutException.class,
                    () -> end.get(10, java.util.concurrent.TimeUnit.SECONDS), "nohup kept it alive");
            Path doctor = dir.resolve("namesrv").resolve("doctor");
            assertNull(AgentOutput.await(doctor, SignalsFeature.NO_NOHUP, 1), "no warning under nohup");
            assertNull(AgentOutput.await(doctor, SignalsFeature.SIGHUP_IGNORED, 1), "the agent's handler was not installed");
        }
    }

    /**
     * With -Xrs the JVM handles no signals: the agent leaves them alone (no fix installed) and says so once; in a
     * terminal without nohup it still warns, as SIGHUP's default action then kills the process without its hooks.
     */
    @Test
    void underXrsSignalsAreLeftAlone() throws Exception {
        Path dir = Paths.get(System.getProperty("doctor.work.dir", "target/it-work"), "xrs-" + System.nanoTime()).toAbsolutePath();
        try (Cluster cluster = new Cluster("4.9.7", dir)) {
            cluster.withAgent("interval=1s,signals.fix=true").wrapped(cmd -> {
                java.util.List<String> c = new java.util.ArrayList<>(cmd);
                c.add(1, "-Xrs");
                return Cluster.inTerminal(c);
            });
            Child c = cluster.startNamesrv("namesrv").child;
            assertNotNull(c.awaitLine("signals: -Xrs is set, the JVM does not handle signals; left alone", 10_000), c.output());
            assertFalse(c.output().contains("SIGHUP is ignored from now on"), c.output());
            Map<String, Object> warn = AgentOutput.await(dir.resolve("namesrv").resolve("doctor"), SignalsFeature.NO_NOHUP, 5000);
            assertNotNull(warn, c.output());
            assertEquals(Boolean.TRUE, AgentOutput.evidence(warn).get("xrs"));
            assertEquals(Boolean.FALSE, AgentOutput.evidence(warn).get("fix"));
        }
    }

    /** BrokerStartup calls System.exit(-3) on a bad name server address: the cause names it and its caller. */
    @Test
    void aSystemExitIsNamedWithItsCaller() throws Exception {
        Path dir = Paths.get(System.getProperty("doctor.work.dir", "target/it-work"), "exit-" + System.nanoTime()).toAbsolutePath();
        try (Cluster cluster = new Cluster("4.9.7", dir)) {
            cluster.withAgent("interval=1s");
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> cluster.startBroker("broker-a", java.util.Collections.singletonList("no-such-host:port"), new java.util.HashMap<>()));
            Map<String, Object> f = AgentOutput.await(dir.resolve("broker-a").resolve("doctor"), SignalsFeature.SHUTDOWN, 10_000);
            assertNotNull(f, "the shutdown was recorded");
            Map<String, Object> ev = AgentOutput.evidence(f);
            assertEquals("System.exit", ev.get("cause"), ev.toString());
            assertTrue(String.valueOf(ev.get("caller")).contains("org.apache.rocketmq.broker.BrokerStartup.createBrokerController"), ev.toString());
        }
    }

    /**
     * Flow control for real, whatever the machine's speed: the broker has one send thread, and the test stops it
     * (through the broker's debug port) before a burst of async sends. Every request then waits in the send queue
     * past waitTimeMillsInSendQueue and the broker's BrokerFastFailure answers each with [TIMEOUT_CLEAN_QUEUE]. The
     * fault is proven first (the thread stayed stopped, every send got that answer), then the broker's agent must
     * count one per answer.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theBrokersFlowControlAnswersAreCounted() throws Exception {
        Path dir = Paths.get(System.getProperty("doctor.work.dir", "target/it-work"), "flow-" + System.nanoTime()).toAbsolutePath();
        int port = Jvm.freePort();
        int nsPort = Jvm.freePort();
        int debugPort = Jvm.freePort();
        int burst = 200;
        try (Cluster cluster = new Cluster("4.9.7", dir)) {
            cluster.withAgent("interval=1s,prometheus.port=" + nsPort);
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.withAgent("interval=1s,prometheus.port=" + port).wrapped(cmd -> {
                java.util.List<String> c = new java.util.ArrayList<>(cmd);
                c.add(1, HeldThreads.jdwpOption(debugPort));
                return c;
            });
            Map<String, String> busy = new java.util.HashMap<>();
            busy.put("sendMessageThreadPoolNums", "1");
            busy.put("waitTimeMillsInSendQueue", "300");
            Cluster.Server broker = cluster.startBroker("broker-a", java.util.Collections.singletonList(ns.address), busy);
            Clients clients = new Clients("4.9.7", dir.resolve("clients"));
            clients.createTopic(ns.address, broker.address, "DoctorBusy", 4);
            Path go = dir.resolve("burst-go");
            Child producer = clients.start("producer", "ProducerMain", null, java.util.Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", "DoctorBusy", "--async-burst", String.valueOf(burst), "--burst-after-file", go.toString());
            assertNotNull(producer.awaitLine(io.rocketmqdoctor.demo.clients.ProducerMain.BURST_READY, 60_000), producer.output());
            Map<String, Object> r;
            boolean heldThroughout;
            try (HeldThreads held = HeldThreads.hold(debugPort, "SendMessageThread_1")) {
                Files.writeString(go, "go");
                r = Clients.result(producer, 180_000);
                heldThroughout = held.inPlace();
            }
            Map<String, Object> statuses = (Map<String, Object>) r.get("statuses");
            long rejected = Clients.count(statuses, "TIMEOUT_CLEAN_QUEUE");
            // the fault first: a harness error if it did not happen, not the agent's
            assertTrue(heldThroughout && rejected == burst,
                    "harness: the stopped send thread should have had every one of " + burst + " sends answered [TIMEOUT_CLEAN_QUEUE]: " + statuses);
            String metrics = AgentOutput.metrics(port);
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("rocketmq_doctor_store_flow_control_total\\{reason=\"TIMEOUT_CLEAN_QUEUE\"} (\\d+)").matcher(metrics);
            assertTrue(m.find(), metrics);
            assertEquals(rejected, Long.parseLong(m.group(1)), "one count per answer the producer got: " + statuses);
            // the pages of a broker (store, stall, ha on) and of a name server are valid Prometheus text
            Path brokerPage = dir.resolve("broker-metrics.txt");
            Files.writeString(brokerPage, metrics);
            Tools.promtoolAccepts(brokerPage, "a broker's page");
            Path nsPage = dir.resolve("namesrv-metrics.txt");
            String nsMetrics = AgentOutput.metrics(nsPort);
            Files.writeString(nsPage, nsMetrics);
            Tools.promtoolAccepts(nsPage, "a name server's page");
            // (a histogram appears once it has a value: this master has no slave, so no HA histograms yet)
            assertTrue(metrics.contains("rocketmq_doctor_store_put_seconds_bucket{le=") && metrics.contains("rocketmq_doctor_stall_hiccup_seconds_bucket{le="),
                    "the broker page has its put and hiccup histograms: " + metrics);
            System.out.println("SERIES broker 4.9.7: " + Tools.series(metrics) + ", name server: " + Tools.series(nsMetrics));
            System.out.println("FLOW-CONTROL " + rejected + " of " + burst + " answered [TIMEOUT_CLEAN_QUEUE], counted " + m.group(1));
        }
    }

    /** What `java -jar <agent> check` says about this host: exit 1 when a setting differs. */
    static boolean hostDiffers() throws Exception {
        Process p = new ProcessBuilder(Jvm.java(), "-jar", Jvm.agentJar().toString(), "check").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        assertTrue(out.contains("vm.min_free_kbytes"), out);
        return rc == 1;
    }
}
