package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.harness.RocketMqDist;
import io.rocketmqdoctor.demo.scenarios.Scenario;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Runs a scenario as the demo does, in its own work directory under the tests' work dir. */
final class Scenarios {
    private Scenarios() {}

    /** A fresh directory for one test run, under the tests' work dir. */
    static Path workDir(String name) {
        return Paths.get(System.getProperty("doctor.work.dir", "target/it-work"), name + "-" + System.nanoTime()).toAbsolutePath();
    }

    /** A name server and one broker, broker-a, registered with it: what most tests start from. */
    static io.rocketmqdoctor.demo.harness.Cluster.Server nameServerAndBroker(io.rocketmqdoctor.demo.harness.Cluster cluster) throws Exception {
        io.rocketmqdoctor.demo.harness.Cluster.Server ns = cluster.startNamesrv("namesrv");
        cluster.startBroker("broker-a", java.util.Collections.singletonList(ns.address), java.util.Collections.emptyMap());
        return ns;
    }

    /**
     * The scenario without and with its fix, side by side: two clusters of their own (own directories, ephemeral
     * ports), so the pair takes the time of one. Most of a scenario's minutes are RocketMQ's timers (route polls,
     * rebalances, heartbeats), not CPU. Returns {without, with}.
     */
    static Scenario.Outcome[] withoutAndWith(java.util.function.Supplier<Scenario> s, String client) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Scenario.Outcome> without = pool.submit(() -> run(s.get(), client, false));
            java.util.concurrent.Future<Scenario.Outcome> with = pool.submit(() -> run(s.get(), client, true));
            return new Scenario.Outcome[]{get(without), get(with)};
        } finally {
            pool.shutdownNow();
        }
    }

    private static Scenario.Outcome get(java.util.concurrent.Future<Scenario.Outcome> f) throws Exception {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
            throw e;
        }
    }

    static Scenario.Outcome run(Scenario s, String client, boolean fix) throws Exception {
        Path dir = workDir(s.name() + "-" + client + (fix ? "-fix" : ""));
        Scenario.Outcome o = s.run(new Scenario.Options(fix, client, RocketMqDist.serverFor(client), dir));
        // In target/surefire-reports/<test>-output.txt: the figures the README quotes.
        System.out.println("RESULT " + o.result);
        return o;
    }
}
