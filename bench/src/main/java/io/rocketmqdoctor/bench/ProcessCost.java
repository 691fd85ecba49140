package io.rocketmqdoctor.bench;

import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.Jvm;
import io.rocketmqdoctor.demo.clients.ProducerMain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The agent's cost as an operator sees it: user+system CPU seconds and peak RSS of whole processes as
 * the OS counts them (GNU time's wait4 rusage, or /proc/<pid>/stat and VmHWM for a process still running), with
 * and without the agent, in alternated pairs, medians. Four processes: a JVM without RocketMQ, a quickstart-style
 * producer (1000 sync sends), a broker to "boot success", any RocketMQ JVM idle for 60 s; and a long producer run.
 */
final class ProcessCost {
    static final String TIME = "/usr/bin/time";

    static final class Sample {
        final double cpu;
        final double rssMiB;

        Sample(double cpu, double rssMiB) {
            this.cpu = cpu;
            this.rssMiB = rssMiB;
        }
    }

    /** One row: medians of the pairs, and the added figures. */
    static final class Row {
        final String process;
        final List<Sample> without = new ArrayList<>();
        final List<Sample> with = new ArrayList<>();

        Row(String process) { this.process = process; }

        double cpu(List<Sample> l) { return BenchMain.median(map(l, true)); }

        double rss(List<Sample> l) { return BenchMain.median(map(l, false)); }

        double addedCpu() { return BenchMain.median(diffs(true)); }

        double addedRss() { return BenchMain.median(diffs(false)); }

        private List<Double> diffs(boolean cpu) {
            List<Double> d = new ArrayList<>();
            for (int i = 0; i < Math.min(with.size(), without.size()); i++) {
                d.add(cpu ? with.get(i).cpu - without.get(i).cpu : with.get(i).rssMiB - without.get(i).rssMiB);
            }
            return d;
        }

        private static List<Double> map(List<Sample> l, boolean cpu) {
            List<Double> d = new ArrayList<>();
            for (Sample s : l) d.add(cpu ? s.cpu : s.rssMiB);
            return d;
        }

        /** "s" (CPU seconds), or "%" for the idle row (percent of one core). */
        String unit = "s";

        String line() {
            return String.format(Locale.ROOT, "| %s | %d | %.3f %s | %.3f %s | %+.3f %s | %.1f MiB | %.1f MiB | %+.1f MiB |", process, with.size(),
                    cpu(without), unit, cpu(with), unit, addedCpu(), unit, rss(without), rss(with), addedRss());
        }
    }

    static final String HEADER = "| process | pairs | CPU without | CPU with | CPU added (median of pairs) | peak RSS without | peak RSS with | RSS added |\n"
            + "|---|---|---|---|---|---|---|---|";

    /** Extra agent arguments for every run with the agent (-Dbench.agent.args=a=b,c=d). */
    static final String EXTRA = System.getProperty("bench.agent.args", "");

    private ProcessCost() {}

    static String agentArgs(String base) {
        if (EXTRA.isEmpty()) return base;
        return base.isEmpty() ? EXTRA : base + "," + EXTRA;
    }

    /** A JVM without RocketMQ idling 3 s: the CI gate's process. */
    static Row noRocketMq(int pairs, String agentArgs) throws Exception {
        Path dir = Files.createDirectories(BenchMain.workDir().resolve("process-none-" + System.nanoTime()));
        return idlePairs(new Row("JVM without RocketMQ, idle 3 s" + (agentArgs.isEmpty() ? "" : " (" + agentArgs + ")")), dir, pairs,
                "-javaagent:" + Jvm.agentJar() + "=" + agentArgs("output.dir=" + dir.resolve("doctor") + (agentArgs.isEmpty() ? "" : "," + agentArgs)));
    }

    /** The Idle JVM without and with {@code agentFlag}, alternated. */
    private static Row idlePairs(Row row, Path dir, int pairs, String agentFlag) throws Exception {
        String cp = BenchMain.benchJar().toString();
        for (int i = 0; i < pairs; i++) {
            row.without.add(timed(dir, "none-" + i, Arrays.asList(Jvm.java(), "-cp", cp, Idle.class.getName(), "3000")));
            row.with.add(timed(dir, "agent-" + i, Arrays.asList(Jvm.java(), agentFlag, "-cp", cp, Idle.class.getName(), "3000")));
        }
        return row;
    }

    /** The same JVM with an agent that does nothing (its jar made here): the JVM's own cost of any -javaagent. */
    static Row emptyAgent(int pairs) throws Exception {
        Path dir = Files.createDirectories(BenchMain.workDir().resolve("process-empty-" + System.nanoTime()));
        Path jar = dir.resolve("empty-agent.jar");
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Premain-Class", EmptyAgent.class.getName());
        String entry = EmptyAgent.class.getName().replace('.', '/') + ".class";
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), mf);
             java.io.InputStream in = EmptyAgent.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new java.util.jar.JarEntry(entry));
            out.write(in.readAllBytes());
            out.closeEntry();
        }
        return idlePairs(new Row("JVM without RocketMQ, idle 3 s, an empty -javaagent (the JVM's own floor)"), dir, pairs, "-javaagent:" + jar);
    }

    /**
     * RocketMQ's own example producer as a user runs it: rocketmq-example's quickstart {@code Producer} (1000 sync
     * sends), {@code java -Xmx256m} and only the flags old Netty needs on Java 17 (none of the harness's), against a
     * 4.9.7 name server and broker. Each round runs it without the agent, with the agent on an empty output
     * directory (a host's first start: Byte Buddy weaves and fills the weave cache) and with the agent on the
     * directory a first run filled (every later start); rows: first start, later starts, each against the same runs
     * without.
     */
    static Row[] exampleProducer(String client, int rounds) throws Exception {
        Path dir = Files.createDirectories(BenchMain.workDir().resolve("process-example-" + client + "-" + System.nanoTime()));
        String cp = io.rocketmqdoctor.demo.harness.RocketMqDist.classPath("example", client);
        Row first = new Row("RocketMQ's example producer " + client + ", first start (empty output directory)");
        Row later = new Row("RocketMQ's example producer " + client + ", later starts (weave cache filled)");
        try (Cluster c = new Cluster("4.9.7", dir.resolve("cluster"))) {
            String ns = BenchMain.cluster(c);
            example(dir, "topic", ns, cp, null); // creates the topic; the broker's first answers
            for (int i = 0; i < rounds; i++) {
                Sample none = example(dir, "none-" + i, ns, cp, null);
                first.without.add(none);
                later.without.add(none);
                first.with.add(example(dir, "empty-" + i, ns, cp, dir.resolve("doctor-empty-" + i)));
                // the first round's empty directory, filled by the run just before
                later.with.add(example(dir, "filled-" + i, ns, cp, dir.resolve("doctor-empty-0")));
            }
        }
        return new Row[]{first, later};
    }

    private static Sample example(Path dir, String name, String ns, String cp, Path output) throws Exception {
        List<String> cmd = new ArrayList<>(Arrays.asList(Jvm.java(), "-Xmx256m"));
        if (output != null) cmd.add("-javaagent:" + Jvm.agentJar() + "=" + agentArgs("output.dir=" + output));
        cmd.addAll(Jvm.OPENS);
        cmd.addAll(Arrays.asList("-Drocketmq.namesrv.addr=" + ns, "-cp", cp, "org.apache.rocketmq.example.quickstart.Producer"));
        return timed(dir, name, cmd);
    }

    /** A producer of {@code client} sending {@code count} sync messages to a real broker, start to exit. */
    static Row producer(String client, int count, int pairs) throws Exception {
        EndToEnd.useDemoJar();
        Path dir = BenchMain.workDir().resolve("process-producer-" + client + "-" + System.nanoTime());
        Row row = new Row("producer, " + count + " sync sends, client " + client);
        try (Cluster c = new Cluster(io.rocketmqdoctor.demo.harness.RocketMqDist.serverFor(client), dir.resolve("cluster"))) {
            String ns = BenchMain.cluster(c);
            Clients clients = new Clients(client, dir.resolve("clients"));
            runProducer(clients, "warm-up", null, ns, 100, dir);
            for (int i = 0; i < pairs; i++) {
                row.without.add(runProducer(clients, "none-" + i, null, ns, count, dir));
                row.with.add(runProducer(clients, "agent-" + i, agentArgs(""), ns, count, dir));
            }
        }
        return row;
    }

    private static Sample runProducer(Clients clients, String name, String agent, String ns, int count, Path dir) throws Exception {
        Path cost = dir.resolve(name + ".time");
        Child p = clients.start(name, "ProducerMain", agent, Collections.emptyList(), Arrays.asList(TIME, "-f", "%U %S %M", "-o", cost.toString()),
                "--namesrv", ns, "--topic", "DoctorCost", "--count", String.valueOf(count));
        Clients.result(p, 900_000);
        return read(cost);
    }

    /** A broker from its start to registered with its name server ("boot success"), CPU and VmHWM from /proc then. */
    static Row brokerStartup(String version, int pairs) throws Exception {
        Path dir = BenchMain.workDir().resolve("process-broker-" + version + "-" + System.nanoTime());
        Row row = new Row("broker " + version + " start-up to boot success");
        try (Cluster names = new Cluster(version, dir.resolve("namesrv"))) {
            Cluster.Server ns = names.startNamesrv("namesrv");
            for (int i = 0; i < pairs; i++) {
                row.without.add(broker(version, dir.resolve("none-" + i), null, ns.address));
                row.with.add(broker(version, dir.resolve("agent-" + i), agentArgs("output.dir=" + dir.resolve("doctor-" + i)), ns.address));
            }
        }
        return row;
    }

    private static Sample broker(String version, Path dir, String agent, String ns) throws Exception {
        try (Cluster c = new Cluster(version, dir)) {
            if (agent != null) c.withAgent(agent);
            Cluster.Server b = c.startBroker("broker", Collections.singletonList(ns), Collections.emptyMap());
            return proc(b.child.javaPid());
        }
    }

    /** Producers that send one message, then idle: the CPU of the 60 s after start-up + 15 s, all pairs side by side. */
    static Row idle(String client, int pairs) throws Exception {
        EndToEnd.useDemoJar();
        Path dir = BenchMain.workDir().resolve("process-idle-" + client + "-" + System.nanoTime());
        Row row = new Row("client " + client + " idle 60 s after start-up (CPU in % of one core)");
        row.unit = "%";
        try (Cluster c = new Cluster(io.rocketmqdoctor.demo.harness.RocketMqDist.serverFor(client), dir.resolve("cluster"))) {
            String ns = BenchMain.cluster(c);
            Clients clients = new Clients(client, dir.resolve("clients"));
            List<Child> none = new ArrayList<>();
            List<Child> agent = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                none.add(clients.start("none-" + i, "ProducerMain", null, Collections.emptyList(), "--namesrv", ns, "--topic", "DoctorIdle",
                        "--count", "1", "--linger-ms", "90000"));
                agent.add(clients.start("agent-" + i, "ProducerMain", agentArgs(""), Collections.emptyList(), "--namesrv", ns, "--topic", "DoctorIdle",
                        "--count", "1", "--linger-ms", "90000"));
            }
            for (Child ch : none) ch.awaitLine(ProducerMain.FIRST_SEND, 60_000);
            for (Child ch : agent) ch.awaitLine(ProducerMain.FIRST_SEND, 60_000);
            Thread.sleep(15_000);
            List<Sample> a = new ArrayList<>();
            List<Sample> b = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                a.add(proc(none.get(i).pid()));
                b.add(proc(agent.get(i).pid()));
            }
            Thread.sleep(60_000);
            for (int i = 0; i < pairs; i++) {
                // as % of one core over 60 s; the RSS column is the peak at the end
                Sample x = proc(none.get(i).pid());
                Sample y = proc(agent.get(i).pid());
                row.without.add(new Sample((x.cpu - a.get(i).cpu) / 60 * 100, x.rssMiB));
                row.with.add(new Sample((y.cpu - b.get(i).cpu) / 60 * 100, y.rssMiB));
            }
            for (Child ch : none) ch.stop(5000);
            for (Child ch : agent) ch.stop(5000);
        }
        return row;
    }

    static Sample timed(Path dir, String name, List<String> cmd) throws Exception {
        Path cost = dir.resolve(name + ".time");
        List<String> full = new ArrayList<>(Arrays.asList(TIME, "-f", "%U %S %M", "-o", cost.toString()));
        full.addAll(cmd);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
        if (p.waitFor() != 0) throw new IllegalStateException(name + " failed: " + Files.readString(dir.resolve(name + ".out")));
        return read(cost);
    }

    /** GNU time's "%U %S %M": user s, system s, max RSS KiB (its last line; earlier ones may be the child's messages). */
    static Sample read(Path cost) throws Exception {
        List<String> lines = Files.readAllLines(cost);
        String[] f = lines.get(lines.size() - 1).trim().split("\\s+");
        return new Sample(Double.parseDouble(f[0]) + Double.parseDouble(f[1]), Long.parseLong(f[2]) / 1024.0);
    }

    /** utime+stime (clock ticks of 1/100 s, as USER_HZ on Linux) and VmHWM of a running process. */
    static Sample proc(long pid) throws Exception {
        String stat = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/stat")));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        long hwmKb = 0;
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmHWM:")) hwmKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        return new Sample(cpu, hwmKb / 1024.0);
    }
}
