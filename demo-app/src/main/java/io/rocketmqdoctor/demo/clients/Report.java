package io.rocketmqdoctor.demo.clients;

import io.rocketmqdoctor.demo.MiniJson;
import io.rocketmqdoctor.demo.harness.Clients;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a client program prints at the end, and what it reads of its own agent (JMX, the Prometheus page). */
final class Report {
    private Report() {}

    static void print(Map<String, Object> result) {
        System.out.println(Clients.RESULT_PREFIX + MiniJson.write(result));
        System.out.flush();
    }

    /** Percentile of sorted nanosecond samples, in ms. */
    static double ms(long[] sortedNanos, int n, double pct) {
        if (n == 0) return 0;
        int i = (int) Math.ceil(pct / 100.0 * n) - 1;
        return sortedNanos[Math.max(0, Math.min(n - 1, i))] / 1e6;
    }

    static long[] sorted(long[] nanos, int n) {
        long[] s = Arrays.copyOf(nanos, n);
        Arrays.sort(s);
        return s;
    }

    /** The agent's histogram MBeans in this JVM: object name to Count. Empty without the agent. */
    static Map<String, Object> jmxCounts() throws Exception {
        MBeanServer s = ManagementFactory.getPlatformMBeanServer();
        // The agent registers into a platform MBean server only once one exists (it never creates one): within a second,
        // a few on a loaded machine.
        ObjectName findings = new ObjectName(io.rocketmqdoctor.export.Jmx.DOMAIN + ":type=Findings");
        ObjectName histograms = new ObjectName("rocketmq.doctor:type=Histogram,*");
        // the findings bean comes first and the histograms' beans on the agent's next pass: wait for both (CI run 22
        // read the histograms between the two)
        for (int i = 0; i < 100 && System.getProperty(io.rocketmqdoctor.tools.AttachTool.RUNNING) != null
                && (!s.isRegistered(findings) || s.queryNames(histograms, null).isEmpty()); i++) {
            Thread.sleep(100);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (ObjectName n : s.queryNames(histograms, null)) {
            Map<String, Object> v = new LinkedHashMap<>();
            for (String a : new String[]{"Count", "Mean", "P50", "P99", "P999", "Max"}) v.put(a, s.getAttribute(n, a));
            out.put(n.getCanonicalName(), v);
        }
        return out;
    }

    /** Heap in use after full GCs, and the agent's threads: for the overhead runs, agent off against on. */
    static void footprint(Map<String, Object> r) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime rt = Runtime.getRuntime();
        r.put("heapUsedAfterGcBytes", rt.totalMemory() - rt.freeMemory());
        long doctorThreads = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("rocketmq-doctor")) doctorThreads++;
        r.put("doctorThreads", doctorThreads);
        r.put("threads", (long) Thread.activeCount());
    }

    /** GET the agent's own Prometheus page and save it, for promtool. */
    static void saveMetrics(int port, String file) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/metrics").openConnection();
        try (InputStream in = c.getInputStream()) {
            Files.write(Paths.get(file), in.readAllBytes());
        }
    }
}
