package io.rocketmqdoctor.bench;

import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.Jvm;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * java -jar bench/target/benchmarks.jar smoke   (CI: fails on allocation or on advice over 1.3x the reference)
 * java -jar bench/target/benchmarks.jar full    (everything, written to bench/RESULTS.md)
 * Anything else is passed to JMH's own main.
 */
public final class BenchMain {
    static final double MAX_ALLOC_BYTES = 0.1;
    /** Less than this per consume call means the advice is not there: a nanosecond clock read alone costs more. */
    static final double MIN_WOVEN_NS = 5;
    static final double MAX_RATIO = 1.3;

    /** The CI gate on a JVM without RocketMQ: eager installation cost +1.1 s and +62 MiB; dormant +0.1 s, +7 MiB. */
    static final double MAX_IDLE_JVM_ADDED_CPU = 0.4;
    static final double MAX_IDLE_JVM_ADDED_RSS_MIB = 24;
    /**
     * RocketMQ's example producer (bench/RESULTS.md: +0.82 s and +24 MiB at a first start, +0.36 s and +13 MiB later,
     * 10 pairs): two rounds on a shared CI machine are noisy, so the gates sit above the goals (+0.4 s, +24 MiB) by a
     * margin, low enough to fail when Byte Buddy is loaded on a later start or installed before RocketMQ loads.
     */
    static final double MAX_FIRST_START_ADDED_CPU = 1.4;
    static final double MAX_FIRST_START_ADDED_RSS_MIB = 40;
    static final double MAX_LATER_START_ADDED_CPU = 0.65;
    static final double MAX_LATER_START_ADDED_RSS_MIB = 24;

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("smoke") || args[0].equals("full"))) {
            boolean perCall = run(args[0].equals("full"));
            boolean process = processSmoke();
            System.exit(perCall && process ? 0 : 1);
        }
        if (args.length == 3 && args[0].equals("process-one")) {
            // one row, e.g. to see what a switch costs: -Dbench.agent.args=remoting.enabled=false process-one broker 5
            int pairs = Integer.parseInt(args[2]);
            if (args[1].equals("example")) { // RocketMQ's example producer 4.7.0: a first start and later starts
                ProcessCost.Row[] rows = ProcessCost.exampleProducer("4.7.0", pairs);
                System.out.println(ProcessCost.HEADER + "\n" + rows[0].line() + "\n" + rows[1].line());
                return;
            }
            ProcessCost.Row r;
            switch (args[1]) {
                case "none": r = ProcessCost.noRocketMq(pairs, ""); break;
                case "empty": r = ProcessCost.emptyAgent(pairs); break;
                case "broker": r = ProcessCost.brokerStartup("4.9.7", pairs); break;
                case "idle": r = ProcessCost.idle("4.9.7", pairs); break;
                default: r = ProcessCost.producer(args[1], 1000, pairs);
            }
            System.out.println(ProcessCost.HEADER + "\n" + r.line());
            return;
        }
        if (args.length >= 1 && args[0].equals("process")) {
            processAll(args.length > 1 ? Integer.parseInt(args[1]) : 10);
            return;
        }
        org.openjdk.jmh.Main.main(args);
    }

    static final class Row {
        final String name;
        final double ns;
        final double nsError;
        final double bytes;

        Row(String name, RunResult r) {
            this.name = name;
            Result p = r.getPrimaryResult();
            this.ns = p.getScore();
            this.nsError = Double.isNaN(p.getScoreError()) ? 0 : p.getScoreError();
            double b = Double.NaN;
            for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) b = e.getValue().getScore();
            }
            this.bytes = b;
        }
    }

    static boolean run(boolean full) throws Exception {
        Path agent = Jvm.agentJar();
        Path out = Files.createTempDirectory("doctor-bench");
        List<Row> rows = new ArrayList<>();
        String on = agent + "=interval=100ms,stall.enabled=false,remoting.streak-expiry=1s,output.dir=" + out;
        // The smoke (CI) measures what its gates read: no reference without the agent, no disabled agent (reported
        // by the full run, never gated).
        if (full) {
            rows.addAll(jmh("none", "none", null, out, true, null));
        } else {
            rows.addAll(jmh("none", "none", null, out, false, RATIO_GATED));
            rows.addAll(quick("none", "none", null, out, GATED_ONCE_WOVEN));
        }
        if (full) {
            rows.addAll(jmh("agent-disabled", "agent-disabled", agent + "=remoting.enabled=false,clientid.enabled=false,rebalance.enabled=false,consumer.enabled=false,grpc.enabled=false,output.dir=" + out,
                    out, true, null));
        }
        // The stall feature's hiccup thread is a fixed background cost, not a per-call one: measured on its own (README).
        if (full) {
            rows.addAll(jmh("agent-on", "agent-on", on, out, true, null));
        } else {
            rows.addAll(jmh("agent-on", "agent-on", on, out, false, RATIO_GATED + "|reference"));
            rows.addAll(quick("agent-on", "agent-on", on, out, GATED_ONCE_WOVEN));
        }
        double reference = find(rows, "reference, agent-on").ns;
        double added = addedNs(rows, "invokeSync");
        double addedBytes = addedBytes(rows, "invokeSync");
        double afterFailover = addedNs(rows, "invokeSyncAfterFailover");
        String remeasured = "";
        if (!full && (added > MAX_RATIO * reference || afterFailover > MAX_RATIO * reference)) {
            // Forks differ by their JIT's luck on this shared 2-core host (1.08x to 1.35x the same day, same code): a ratio
            // over the gate is measured once more in fresh forks, and the gate fails only if it is over again.
            List<Row> again = new ArrayList<>(jmh("none", "none", null, out, false, "invokeSync|invokeSyncAfterFailover"));
            again.addAll(jmh("agent-on", "agent-on", on, out, false, "invokeSync|invokeSyncAfterFailover|reference"));
            remeasured = String.format(Locale.ROOT, "; first measured %.2fx and %.2fx after a failover, so measured again", added / reference,
                    afterFailover / reference);
            reference = find(again, "reference, agent-on").ns;
            added = addedNs(again, "invokeSync");
            afterFailover = addedNs(again, "invokeSyncAfterFailover");
        }
        double asyncAdded = addedNs(rows, "invokeAsyncRoundTrip");
        double asyncBytes = addedBytes(rows, "invokeAsyncRoundTrip");
        double consumeAdded = addedNs(rows, "consume");
        double consumeBytes = addedBytes(rows, "consume");
        double orderlyAdded = addedNs(rows, "consumeOrderly");
        double orderlyBytes = addedBytes(rows, "consumeOrderly");
        double grpcAdded = addedNs(rows, "grpcSend");
        double grpcBytes = addedBytes(rows, "grpcSend");
        double sendAnswerAdded = addedNs(rows, "sendAnswer");
        double sendAnswerBytes = addedBytes(rows, "sendAnswer");
        double pullAdded = addedNs(rows, "pullAnswer");
        double pullBytes = addedBytes(rows, "pullAnswer");
        double commitAdded = addedNs(rows, "offsetCommit");
        double commitBytes = addedBytes(rows, "offsetCommit");
        double txAdded = addedNs(rows, "transaction");
        double txBytes = addedBytes(rows, "transaction");
        double disabledAdded = full ? find(rows, "invokeSync, agent-disabled").ns - find(rows, "invokeSync, none").ns : Double.NaN;
        StringBuilder table = new StringBuilder("| benchmark | ns/op | ± | B/op |\n|---|---|---|---|\n");
        for (Row r : rows) table.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.3f |%n", r.name, r.ns, r.nsError, r.bytes));
        String verdict = String.format(Locale.ROOT,
                "advice adds %.2f ns/op (%.2fx the hand-written reference, %.2f ns in the same fork; gate %.1fx), %.3f B/op (gate %.1f); "
                        + "attached but disabled adds %.2f ns/op (full run only); after a failover (a name server's timeout streak expired) "
                        + "the advice adds %.2f ns/op (%.2fx); an async request and its callback %.2f ns/op, %.3f B/op; "
                        + "a consume call %.2f ns/op, %.3f B/op; an orderly consume call %.2f ns/op, %.3f B/op; "
                        + "a gRPC client RPC %.2f ns/op, %.3f B/op; a send's VIP address and answer %.2f ns/op, %.3f B/op; "
                        + "a pull's answer (broker and client) %.2f ns/op, %.3f B/op; a commit (broker and client) %.2f ns/op, %.3f B/op; "
                        + "a transactional message (half message and end) %.2f ns/op, %.3f B/op",
                added, added / reference, reference, MAX_RATIO, addedBytes, MAX_ALLOC_BYTES, disabledAdded,
                afterFailover, afterFailover / reference, asyncAdded, asyncBytes, consumeAdded, consumeBytes, orderlyAdded, orderlyBytes,
                grpcAdded, grpcBytes, sendAnswerAdded, sendAnswerBytes, pullAdded, pullBytes, commitAdded, commitBytes, txAdded, txBytes)
                + remeasured;
        if (full) {
            Row rebalanceOff = find(rows, "rebalanceByTopic, none");
            Row rebalanceOn = find(rows, "rebalanceByTopic, agent-on");
            verdict += String.format(Locale.ROOT, "; a rebalance of one topic (every 20 s per topic, not gated) %.0f ns without the agent, "
                    + "%.0f ns with its detector (%.0f B)", rebalanceOff.ns, rebalanceOn.ns, rebalanceOn.bytes - rebalanceOff.bytes);
        }
        // a consume call the agent did not weave (a stand-in missing a member the feature reads) costs nothing: that is no figure
        if (consumeAdded < MIN_WOVEN_NS || orderlyAdded < MIN_WOVEN_NS || grpcAdded < MIN_WOVEN_NS) {
            verdict += String.format(Locale.ROOT, "; NOT WOVEN: a consume call adds %.2f ns, an orderly one %.2f ns, a gRPC RPC %.2f ns (see the agent's WARN lines)",
                    consumeAdded, orderlyAdded, grpcAdded);
        }
        boolean ok = consumeAdded >= MIN_WOVEN_NS && orderlyAdded >= MIN_WOVEN_NS && grpcAdded >= MIN_WOVEN_NS
                && addedBytes <= MAX_ALLOC_BYTES && added <= MAX_RATIO * reference
                && afterFailover <= MAX_RATIO * reference && asyncBytes <= MAX_ALLOC_BYTES && consumeBytes <= MAX_ALLOC_BYTES
                && orderlyBytes <= MAX_ALLOC_BYTES && grpcBytes <= MAX_ALLOC_BYTES && sendAnswerBytes <= MAX_ALLOC_BYTES
                && pullBytes <= MAX_ALLOC_BYTES && commitBytes <= MAX_ALLOC_BYTES && txBytes <= MAX_ALLOC_BYTES;
        System.out.println(table);
        System.out.println((ok ? "PASS: " : "FAIL: ") + verdict);
        if (full) Results.write(table.toString(), verdict, EndToEnd.run(), agent);
        return ok;
    }

    /** Whole-process gate: a JVM that never loads RocketMQ pays (almost) nothing, as the OS counts it. */
    static boolean processSmoke() throws Exception {
        ProcessCost.Row r = ProcessCost.noRocketMq(2, "");
        ProcessCost.Row[] producer = ProcessCost.exampleProducer("4.7.0", 2);
        System.out.println(ProcessCost.HEADER + "\n" + r.line() + "\n" + producer[0].line() + "\n" + producer[1].line());
        return gate(r, "a JVM without RocketMQ", MAX_IDLE_JVM_ADDED_CPU, MAX_IDLE_JVM_ADDED_RSS_MIB)
                & gate(producer[0], "RocketMQ's example producer, first start", MAX_FIRST_START_ADDED_CPU, MAX_FIRST_START_ADDED_RSS_MIB)
                & gate(producer[1], "RocketMQ's example producer, later starts", MAX_LATER_START_ADDED_CPU, MAX_LATER_START_ADDED_RSS_MIB);
    }

    private static boolean gate(ProcessCost.Row r, String what, double cpu, double rss) {
        boolean ok = r.addedCpu() <= cpu && r.addedRss() <= rss;
        System.out.println(String.format(Locale.ROOT, "%s: %s: CPU %+.3f s (gate +%.2f s), peak RSS %+.1f MiB (gate +%.0f MiB)",
                ok ? "PASS" : "FAIL", what, r.addedCpu(), cpu, r.addedRss(), rss));
        return ok;
    }

    /** java -jar benchmarks.jar process [pairs]: every process, written into RESULTS.md's process section. */
    static void processAll(int pairs) throws Exception {
        List<ProcessCost.Row> rows = new ArrayList<>();
        rows.add(ProcessCost.noRocketMq(pairs, ""));
        rows.add(ProcessCost.noRocketMq(Math.max(3, pairs / 2), "enabled=false"));
        rows.add(ProcessCost.emptyAgent(Math.max(3, pairs / 2)));
        rows.add(ProcessCost.producer("4.7.0", 1000, pairs));
        rows.add(ProcessCost.producer("5.5.0", 1000, pairs));
        rows.addAll(java.util.Arrays.asList(ProcessCost.exampleProducer("4.7.0", pairs)));
        rows.add(ProcessCost.brokerStartup("4.9.7", Math.max(3, pairs / 2)));
        rows.add(ProcessCost.idle("4.9.7", 4));
        rows.add(ProcessCost.producer("4.9.7", 50_000, 3));
        StringBuilder t = new StringBuilder(ProcessCost.HEADER).append('\n');
        for (ProcessCost.Row r : rows) t.append(r.line()).append('\n');
        System.out.println(t);
        Results.process(t.toString());
    }

    /** The benchmarks of RemotingInvokeBench (those named by the regex {@code only}, or all) and, in the full run,
     *  RebalanceBench, in forks of the given mode. */
    /** The smoke's ratio gate (against the hand-written reference, measured in the same forks): full forks. */
    static final String RATIO_GATED = "invokeSync|invokeSyncAfterFailover";
    /**
     * The smoke's allocation and woven gates: bytes per call are exact once the JIT has compiled the call, and a woven
     * consume call adds ~80 ns against a 5 ns threshold, so one short fork tells them (the full run measures all alike).
     */
    static final String GATED_ONCE_WOVEN = "invokeAsyncRoundTrip|consume|consumeOrderly|grpcSend|sendAnswer|pullAnswer|offsetCommit|transaction";

    static List<Row> quick(String label, String mode, String agentArgs, Path out, String only) throws Exception {
        return jmh(label, mode, agentArgs, out, false, only, 1, 3, 2);
    }

    static List<Row> jmh(String label, String mode, String agentArgs, Path out, boolean full, String only) throws Exception {
        return jmh(label, mode, agentArgs, out, full, only, 2, 5, full ? 10 : 4);
    }

    static List<Row> jmh(String label, String mode, String agentArgs, Path out, boolean full, String only,
                         int forks, int warmups, int measurements) throws Exception {
        List<String> jvm = new ArrayList<>();
        jvm.add("-Dbench.mode=" + mode);
        jvm.add("-Drocketmq.doctor.output.dir=" + out);
        if (agentArgs != null) jvm.add("-javaagent:" + agentArgs);
        // the rebalance path (every 20 s per topic) is reported by the full run only; the smoke is the per-call gate
        ChainedOptionsBuilder o = new OptionsBuilder().include(RemotingInvokeBench.class.getName() + "\\." + (only == null ? "" : "(" + only + ")$"))
                .forks(forks)
                .warmupIterations(warmups).warmupTime(TimeValue.seconds(1))
                .measurementIterations(measurements).measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class).jvmArgsAppend(jvm.toArray(new String[0]));
        if (full) o = o.include(RebalanceBench.class.getName() + "\\.");
        List<Row> rows = new ArrayList<>();
        for (RunResult r : new Runner(o.build()).run()) {
            String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            rows.add(new Row(method + ", " + label, r));
        }
        return rows;
    }

    /** What the agent adds to a benchmark: its agent-on figure less its no-agent one, in ns/op. */
    static double addedNs(List<Row> rows, String benchmark) {
        return find(rows, benchmark + ", agent-on").ns - find(rows, benchmark + ", none").ns;
    }

    /** The same in B/op. */
    static double addedBytes(List<Row> rows, String benchmark) {
        return find(rows, benchmark + ", agent-on").bytes - find(rows, benchmark + ", none").bytes;
    }

    static Row find(List<Row> rows, String name) {
        for (Row r : rows) if (r.name.equals(name)) return r;
        throw new IllegalStateException("no result for " + name);
    }

    static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double min(List<Double> l) { return Collections.min(l); }

    static double max(List<Double> l) { return Collections.max(l); }

    static Map<String, Object> producer(Clients clients, String name, String agent, String ns, int count) throws Exception {
        Child c = clients.start(name, "ProducerMain", agent, Collections.emptyList(), "--namesrv", ns, "--topic", "DoctorBench",
                "--count", String.valueOf(count), "--footprint", "true");
        return Clients.result(c, 600_000);
    }

    /** This jar (benchmarks.jar): its Idle and StartupProbe mains never load a RocketMQ class. */
    static Path benchJar() throws Exception {
        return Paths.get(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static Path workDir() throws Exception {
        return Files.createDirectories(Paths.get("target", "bench-work").toAbsolutePath());
    }

    static String cluster(Cluster c) throws Exception {
        Cluster.Server ns = c.startNamesrv("namesrv");
        c.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
        return ns.address;
    }
}
