package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import io.rocketmqdoctor.advices.remoting.RemotingFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.Jvm;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's commands against a producer that is already sending: list, attach (twice: the second is
 * refused), detach (the RocketMQ classes run their original code again and the producer goes on), and the
 * HTML report of what was recorded, opened in headless Chromium.
 */
@RealProcesses
class OperatorToolsTest {
    static final class Out {
        final int rc;
        final String text;

        Out(int rc, String text) {
            this.rc = rc;
            this.text = text;
        }
    }

    static Out tool(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(Arrays.asList(Jvm.java(), "-jar", Jvm.agentJar().toString()));
        cmd.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(dir, "tool", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tool " + Arrays.toString(args) + " finished");
        return new Out(p.exitValue(), Files.readString(out));
    }

    @Test
    void attachDetachListAndReport() throws Exception {
        Path dir = Paths.get(System.getProperty("doctor.work.dir", "target/it-work"), "tools-" + System.nanoTime()).toAbsolutePath();
        try (Cluster cluster = new Cluster("4.3.0", dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients("4.3.0", dir.resolve("clients"));
            Child producer = clients.start("producer", "ProducerMain", null, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", "DoctorTools", "--duration-ms", "50000", "--rate", "50");
            assertTrue(producer.awaitLine("FIRST-SEND-OK", 60_000) != null, producer.output());
            String pid = String.valueOf(producer.pid());
            Path doctor = dir.resolve("doctor");

            Out list = tool(dir, "list");
            assertEquals(0, list.rc, list.text);
            assertTrue(Pattern.compile("(?m)^" + pid + "\\s+client\\s+4\\.3\\.0\\s+no\\s").matcher(list.text).find(), list.text);

            Out attach = tool(dir, "attach", pid, "interval=1s", "output.dir=" + doctor);
            assertEquals(0, attach.rc, attach.text);
            Out again = tool(dir, "attach", pid);
            assertEquals(1, again.rc, again.text);
            assertTrue(again.text.contains("already running"), again.text);
            assertTrue(Pattern.compile("(?m)^" + pid + "\\s+client\\s+4\\.3\\.0\\s+yes\\s").matcher(tool(dir, "list").text).find());

            long deadline = System.currentTimeMillis() + 20_000;
            while (sends(doctor) == 0 && System.currentTimeMillis() < deadline) Thread.sleep(500);
            assertTrue(sends(doctor) > 0, "the attached agent records: " + producer.output());

            Out detach = tool(dir, "detach", pid);
            assertEquals(0, detach.rc, detach.text);
            assertTrue(producer.awaitLine("detached: \\d+ RocketMQ classes restored", 10_000) != null, producer.output());
            Thread.sleep(2000);
            long atDetach = sends(doctor);
            Thread.sleep(4000);
            assertEquals(atDetach, sends(doctor), "nothing is recorded after detach");

            // Attached again, the agent starts from zero, not from the first attach's totals
            Path doctor2 = dir.resolve("doctor-2");
            Out reattach = tool(dir, "attach", pid, "interval=1s", "output.dir=" + doctor2);
            assertEquals(0, reattach.rc, reattach.text);
            deadline = System.currentTimeMillis() + 20_000;
            while (sends(doctor2) == 0 && System.currentTimeMillis() < deadline) Thread.sleep(500);
            assertTrue(sends(doctor2) > 0, "the agent attached again records: " + producer.output());

            Map<String, Object> r = Clients.result(producer, 120_000);
            assertEquals(0L, r.get("sendFailures"), r.toString());
            assertTrue(((Number) r.get("sent")).longValue() > atDetach + 100, "the producer went on sending after detach: " + r);
            // the exit summary is cumulative; the log holds each interval once: equal only if nothing of the first attach stayed
            long second = sends(doctor2);
            assertEquals(second, AgentOutput.summaryCountStartingWith(doctor2, RemotingFeature.CLIENT_HISTOGRAM + ";" + RemotingAgentTest.SEND),
                    "the second attach's summary counts its own sends only (the first attach counted " + atDetach + "): "
                            + AgentOutput.summary(doctor2));
            assertTrue(producer.output().split("remoting: instrumented org.apache.rocketmq.remoting.netty.NettyRemotingClient", -1).length == 3,
                    "each attach says what it instrumented: " + producer.output());

            // a client with the agent from the start: histograms and the 4.3.0 client's clientid finding, for the report
            Child withAgent = clients.start("producer-2", "ProducerMain", "interval=1s", Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", "DoctorTools", "--count", "300");
            Clients.result(withAgent, 120_000);
            Out report = tool(dir, "report", clients.doctorDir("producer-2").toString(), "-o", dir.resolve("report.html").toString());
            assertEquals(0, report.rc, report.text);
            String chromium = Tools.optional("chromium", "chromium", "rendering the HTML report in Chromium");
            if (chromium != null) chromium(chromium, dir, dir.resolve("report.html"));
        }
    }

    /** Java 21+ warns when an agent is loaded into a running JVM: the tool names the flag, and the agent starts there. */
    @Test
    void attachingToJava21PlusNamesTheFlag() throws Exception {
        Path java25 = Tools.java25("attaching to a Java 25 JVM");
        Path dir = Files.createDirectories(Paths.get(System.getProperty("doctor.work.dir", "target/it-work"), "java25-" + System.nanoTime()).toAbsolutePath());
        Child target = Child.start("java25", Arrays.asList(java25.toString(), "-cp", UntouchedJvmTest.TEST_CLASSES,
                SleepMain.class.getName(), "60000"), dir, Collections.emptyMap());
        try {
            assertTrue(target.awaitLine("READY", 30_000) != null, target.output());
            // activation=immediate: Byte Buddy is built in the attached JVM too (no Unsafe warning from it)
            Out attach = tool(dir, "attach", String.valueOf(target.pid()), "activation=immediate", "output.dir=" + dir.resolve("doctor"));
            assertEquals(0, attach.rc, attach.text);
            assertTrue(attach.text.contains("runs Java 25") && attach.text.contains("-XX:+EnableDynamicAgentLoading"), attach.text);
            assertTrue(target.awaitLine("RocketMQ Doctor \\S+ started", 20_000) != null, target.output());
            assertTrue(target.awaitLine("active \\(activation=immediate\\): instrumentation ready", 30_000) != null, target.output());
            assertFalse(target.output().contains("sun.misc.Unsafe"), target.output());
        } finally {
            target.stop(5000);
        }
    }

    static long sends(Path doctor) throws Exception {
        long n = 0;
        for (Path hlog : AgentOutput.hlogs(doctor)) n += RemotingAgentTest.sendCount(hlog);
        return n;
    }

    /** Opens the page in headless Chromium: the plots must be in the rendered DOM with their series, and a screenshot is taken. */
    static void chromium(String chromium, Path dir, Path page) throws Exception {
        List<String> base = Arrays.asList(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
        List<String> dump = new ArrayList<>(base);
        dump.addAll(Arrays.asList("--dump-dom", page.toUri().toString()));
        Path dom = dir.resolve("report.dom.html");
        Process p;
        try {
            p = new ProcessBuilder(dump).redirectOutput(dom.toFile()).redirectError(dir.resolve("chromium.err").toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("this test needs Chromium (Debian package chromium; .ci/run installs it)", e);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String html = Files.readString(dom);
        Matcher m = Pattern.compile("<polyline class=\"series\" data-series=\"latency\"[^>]*points=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "percentile plot rendered: " + html.substring(0, Math.min(2000, html.length())));
        assertTrue(m.group(1).trim().split(" ").length >= 5, "the percentile series has points: " + m.group(1));
        for (String series : new String[]{"p50", "p99", "max"}) assertTrue(html.contains("data-series=\"" + series + "\""), series);
        assertTrue(html.contains("<circle class=\"finding\""), "the findings timeline has the 4.3.0 client's clientid finding");
        List<String> shot = new ArrayList<>(base);
        Path png = dir.resolve("report.png");
        shot.addAll(Arrays.asList("--window-size=1200,1600", "--screenshot=" + png, page.toUri().toString()));
        Process s = new ProcessBuilder(shot).redirectErrorStream(true).redirectOutput(dir.resolve("chromium-shot.out").toFile()).start();
        assertTrue(s.waitFor(120, TimeUnit.SECONDS));
        assertTrue(Files.isRegularFile(png) && Files.size(png) > 10_000, "screenshot taken: " + png);
    }
}
