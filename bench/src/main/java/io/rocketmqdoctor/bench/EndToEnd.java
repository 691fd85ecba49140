package io.rocketmqdoctor.bench;

import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.Jvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End to end on this machine: sync sends of 1 KB to a real 4.9.7 broker, agent off against agent on (every
 * feature on), in alternating pairs; heap after full GC and the agent's threads from the same runs; and JVM
 * start-up with and without the agent, interleaved.
 */
final class EndToEnd {
    static final String VERSION = "4.9.7";
    static final int PAIRS = 5;
    static final int MESSAGES = 5000;
    static final int STARTUPS = 10;

    private EndToEnd() {}

    static List<String> run() throws Exception {
        useDemoJar();
        List<String> lines = new ArrayList<>();
        Path dir = BenchMain.workDir().resolve("e2e-" + System.currentTimeMillis());
        List<Double> ratios = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        List<Double> heapOff = new ArrayList<>();
        List<Double> heapOn = new ArrayList<>();
        long threads = -1;
        try (Cluster cluster = new Cluster(VERSION, dir.resolve("cluster"))) {
            String ns = BenchMain.cluster(cluster);
            Clients clients = new Clients(VERSION, dir.resolve("clients"));
            BenchMain.producer(clients, "warmup", null, ns, 1000);
            for (int i = 0; i < PAIRS; i++) {
                boolean agentFirst = i % 2 == 1;
                double[] tput = new double[2];
                for (int k = 0; k < 2; k++) {
                    boolean agent = agentFirst == (k == 0);
                    Map<String, Object> r = BenchMain.producer(clients, "p" + i + (agent ? "-on" : "-off"), agent ? "" : null, ns, MESSAGES);
                    double t = ((Number) r.get("sent")).doubleValue() * 1000 / ((Number) r.get("elapsedMs")).doubleValue();
                    tput[agent ? 1 : 0] = t;
                    (agent ? heapOn : heapOff).add(((Number) r.get("heapUsedAfterGcBytes")).doubleValue());
                    if (agent) threads = ((Number) r.get("doctorThreads")).longValue();
                }
                off.add(tput[0]);
                on.add(tput[1]);
                ratios.add(tput[1] / tput[0]);
            }
        }
        lines.add(String.format(Locale.ROOT, "Throughput, %d sync sends of 1 KB per run, %d pairs (off/on alternated): off median %.0f msg/s, "
                        + "on median %.0f msg/s; ratio on/off median %.3f (min %.3f, max %.3f); per pair %s",
                MESSAGES, PAIRS, BenchMain.median(off), BenchMain.median(on), BenchMain.median(ratios), BenchMain.min(ratios),
                BenchMain.max(ratios), fmt(ratios)));
        lines.add(String.format(Locale.ROOT, "Heap in use after full GC at the end of a run: off median %.1f MB, on median %.1f MB, "
                        + "difference %.1f MB; agent threads: %d",
                BenchMain.median(heapOff) / 1e6, BenchMain.median(heapOn) / 1e6, (BenchMain.median(heapOn) - BenchMain.median(heapOff)) / 1e6, threads));
        lines.addAll(startup(BenchMain.benchJar().toString()));
        return lines;
    }

    static List<String> startup(String cp) throws Exception {
        Path out = Files.createTempDirectory("doctor-startup");
        List<Double> mainOff = new ArrayList<>();
        List<Double> mainOn = new ArrayList<>();
        List<Double> wallOff = new ArrayList<>();
        List<Double> wallOn = new ArrayList<>();
        for (int i = 0; i < STARTUPS; i++) {
            for (boolean agent : new boolean[]{i % 2 == 0, i % 2 != 0}) {
                List<String> cmd = new ArrayList<>(Arrays.asList(Jvm.java()));
                if (agent) cmd.add("-javaagent:" + Jvm.agentJar() + "=output.dir=" + out);
                cmd.addAll(Arrays.asList("-cp", cp, StartupProbe.class.getName()));
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes());
                p.waitFor(60, TimeUnit.SECONDS);
                double wall = (System.nanoTime() - t0) / 1e6;
                Matcher m = Pattern.compile("MAIN-AT (\\d+)").matcher(text);
                if (!m.find()) throw new IllegalStateException("probe said: " + text);
                (agent ? mainOn : mainOff).add(Double.parseDouble(m.group(1)));
                (agent ? wallOn : wallOff).add(wall);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Start-up, %d interleaved runs each: time to main() off median %.0f ms, on median %.0f ms "
                        + "(added on the main thread: %.0f ms); whole JVM run off %.0f ms, on %.0f ms (added %.0f ms)",
                STARTUPS, BenchMain.median(mainOff), BenchMain.median(mainOn), BenchMain.median(mainOn) - BenchMain.median(mainOff),
                BenchMain.median(wallOff), BenchMain.median(wallOn), BenchMain.median(wallOn) - BenchMain.median(wallOff)));
        return lines;
    }

    static String fmt(List<Double> l) {
        StringBuilder sb = new StringBuilder("[");
        for (Double d : l) sb.append(sb.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", d));
        return sb.append("]").toString();
    }

    /** The client children run the demo's programs from the demo jar (the bench jar has RocketMQ stand-ins in it). */
    static void useDemoJar() throws Exception {
        if (System.getProperty("doctor.demo.jar") == null) {
            Path target = Jvm.agentJar().getParent().getParent().getParent().resolve("demo-app").resolve("target");
            try (java.util.stream.Stream<Path> s = Files.list(target)) {
                Path demoJar = s.filter(f -> f.getFileName().toString().matches("rocketmq-doctor-demo-.*\\.jar")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no demo jar in " + target + ": build with mvn package"));
                System.setProperty("doctor.demo.jar", demoJar.toString());
            }
        }
    }
}
