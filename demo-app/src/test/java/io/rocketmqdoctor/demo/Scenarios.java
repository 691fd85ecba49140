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

    static Scenario.Outcome run(Scenario s, String client, boolean fix) throws Exception {
        Path dir = workDir(s.name() + "-" + client + (fix ? "-fix" : ""));
        Scenario.Outcome o = s.run(new Scenario.Options(fix, client, RocketMqDist.serverFor(client), dir));
        // In target/surefire-reports/<test>-output.txt: the figures the README quotes.
        System.out.println("RESULT " + o.result);
        return o;
    }
}
