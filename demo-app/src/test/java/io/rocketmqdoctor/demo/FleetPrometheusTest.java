package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.remoting.RemotingFeature;
import io.rocketmqdoctor.demo.clients.ProducerMain;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.Jvm;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus (the Debian package's server) scrapes two producers' agents found by file-based
 * service discovery, with the alert rules of deploy/prometheus. The name server one producer uses is kill -STOPped
 * and that producer looks up a new topic: RocketMQNameServerUnresponsive must fire for it, through Prometheus's
 * HTTP API. And the fleet-wide p99 of sends that histogram_quantile computes from both producers' buckets must fall
 * in the bucket that holds the p99 of their HdrHistogram logs added together (the same sends).
 */
@RealProcesses
class FleetPrometheusTest {
    static final String SEND = RemotingFeature.CLIENT_HISTOGRAM + ";role=broker;mode=sync;request=SEND_MESSAGE";

    @Test
    void aRealPrometheusAlertsOnAHungNameServerAndAddsUpTheFleetsHistograms() throws Exception {
        String prometheus = Tools.optional("prometheus", "prometheus", "the real-Prometheus test (alerts and a fleet p99)");
        long t0 = System.currentTimeMillis();
        Path dir = Scenarios.workDir("fleet-prometheus");
        try (Cluster cluster = new Cluster("4.9.7", dir.resolve("cluster"))) {
            Cluster.Server ns1 = cluster.startNamesrv("namesrv-1");
            Cluster.Server ns2 = cluster.startNamesrv("namesrv-2");
            cluster.startBroker("broker-a", Arrays.asList(ns1.address, ns2.address), Collections.emptyMap());
            Clients clients = new Clients("4.9.7", dir.resolve("clients"));
            int port1 = Jvm.freePort();
            int port2 = Jvm.freePort();
            Path newTopic = dir.resolve("use-new-topic");
            Child victim = clients.start("producer-1", "ProducerMain",
                    "interval=1s,remoting.namesrv-timeouts=1,prometheus.port=" + port1, Collections.emptyList(),
                    // by time: once the name server hangs, each send to the new topic waits for its lookup's timeout
                    "--namesrv", ns1.address, "--topic", "DoctorFleet", "--duration-ms", "40000", "--rate", "30", "--linger-ms", "15000",
                    "--topic2", "DoctorFleetNew", "--topic2-file", newTopic.toString());
            Child healthy = clients.start("producer-2", "ProducerMain", "interval=1s,prometheus.port=" + port2, Collections.emptyList(),
                    "--namesrv", ns2.address, "--topic", "DoctorFleet", "--count", "600", "--rate", "30", "--linger-ms", "60000");

            // Prometheus: 1 s scrapes and rule evaluations, the shipped rules, targets from a file
            Path prom = Files.createDirectories(dir.resolve("prometheus"));
            Files.writeString(prom.resolve("targets.json"), "[{\"targets\":[\"127.0.0.1:" + port1 + "\",\"127.0.0.1:" + port2
                    + "\"],\"labels\":{\"job\":\"producers\"}}]");
            Files.copy(DeployTest.RULES, prom.resolve("rules.yml"));
            Files.writeString(prom.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    + "rule_files:\n  - rules.yml\nscrape_configs:\n  - job_name: producers\n    file_sd_configs:\n"
                    + "      - files: ['" + prom.resolve("targets.json") + "']\n        refresh_interval: 1s\n");
            int webPort = Jvm.freePort();
            Process server = new ProcessBuilder(prometheus, "--config.file=" + prom.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + prom.resolve("data"), "--web.listen-address=127.0.0.1:" + webPort, "--log.level=warn")
                    .directory(prom.toFile()).redirectErrorStream(true).redirectOutput(prom.resolve("prometheus.out").toFile()).start();
            String api = "http://127.0.0.1:" + webPort;
            try {
                assertNotNull(victim.awaitLine(ProducerMain.FIRST_SEND, 90_000), victim.output());
                assertNotNull(healthy.awaitLine(ProducerMain.FIRST_SEND, 90_000), healthy.output());
                awaitQuery(api, "count(up{job=\"producers\"} == 1) == 2", 60_000, "both agents scraped");

                // the victim's only name server hangs; a topic it has never looked up makes it ask
                ns1.child.signal("STOP");
                Files.createFile(newTopic);
                long deadline = System.currentTimeMillis() + 90_000;
                String alerts = "";
                while (System.currentTimeMillis() < deadline && !firing(alerts, "RocketMQNameServerUnresponsive", port1)) {
                    Thread.sleep(1000);
                    alerts = get(api + "/api/v1/alerts");
                }
                assertTrue(firing(alerts, "RocketMQNameServerUnresponsive", port1), "the alert fires for the victim: " + alerts
                        + "\n" + victim.output());
                assertTrue(!firing(alerts, "RocketMQNameServerUnresponsive", port2), "not for the healthy producer: " + alerts);

                // the fleet p99 of sends, once both have sent all and their agents swapped their last sends in
                assertNotNull(victim.awaitLine(ProducerMain.SENDING_DONE, 120_000), victim.output());
                assertNotNull(healthy.awaitLine(ProducerMain.SENDING_DONE, 120_000), healthy.output());
                Thread.sleep(4000);
                String q = "histogram_quantile(0.99, sum by (le) (rocketmq_doctor_remoting_client_seconds_bucket"
                        + "{role=\"broker\",mode=\"sync\",request=~\"SEND_MESSAGE.*\"}))";
                String result = get(api + "/api/v1/query?query=" + URLEncoder.encode(q, "UTF-8"));
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"value\":\\[[0-9.]+,\"([0-9.eE+-]+)\"]").matcher(result);
                assertTrue(m.find(), q + " -> " + result);
                double fleetP99 = Double.parseDouble(m.group(1));
                ns1.child.signal("CONT");
                Clients.result(victim, 120_000);
                Clients.result(healthy, 120_000);
                Histogram all = RemotingAgentTest.histogram(AgentOutput.hlog(clients.doctorDir("producer-1")), SEND);
                all.add(RemotingAgentTest.histogram(AgentOutput.hlog(clients.doctorDir("producer-2")), SEND));
                double hdrP99 = all.getValueAtPercentile(99) / 1e9;
                double[] bucket = bucketOf(hdrP99);
                assertTrue(fleetP99 >= bucket[0] * 0.99 && fleetP99 <= bucket[1] * 1.01,
                        "Prometheus's fleet p99 " + fleetP99 + " s lies in the bucket (" + bucket[0] + ", " + bucket[1]
                                + "] of the HdrHistogram p99 " + hdrP99 + " s of the same " + all.getTotalCount() + " sends");
                System.out.println("FLEET-PROMETHEUS fleetP99=" + fleetP99 + " hdrP99=" + hdrP99 + " sends=" + all.getTotalCount()
                        + " testMs=" + (System.currentTimeMillis() - t0));
            } finally {
                server.destroy();
                server.waitFor();
                ns1.child.signal("CONT");
            }
        }
    }

    /** The bucket bounds (lower, upper] of the agent's fixed layout that hold {@code seconds}. */
    static double[] bucketOf(double seconds) {
        double lower = 0;
        for (double b : io.rocketmqdoctor.histo.Buckets.LATENCY_SECONDS) {
            if (seconds <= b) return new double[]{lower, b};
            lower = b;
        }
        return new double[]{lower, Double.POSITIVE_INFINITY};
    }

    static boolean firing(String alerts, String name, int port) {
        int i = alerts.indexOf("\"alertname\":\"" + name + "\"");
        while (i >= 0) {
            int end = alerts.indexOf("}", alerts.indexOf("\"state\"", i));
            String one = alerts.substring(i, end < 0 ? alerts.length() : end);
            if (one.contains("127.0.0.1:" + port) && one.contains("\"state\":\"firing\"")) return true;
            i = alerts.indexOf("\"alertname\":\"" + name + "\"", i + 1);
        }
        return false;
    }

    static void awaitQuery(String api, String expr, long timeoutMillis, String what) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String r = "";
        while (System.currentTimeMillis() < deadline) {
            try {
                r = get(api + "/api/v1/query?query=" + URLEncoder.encode(expr, "UTF-8"));
                if (r.contains("\"result\":[{")) return;
            } catch (java.io.IOException starting) {
                r = starting.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(what + ": " + expr + " -> " + r);
    }

    static String get(String url) throws java.io.IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10_000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
