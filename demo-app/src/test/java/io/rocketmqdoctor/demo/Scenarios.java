package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.harness.RocketMqDist;
import io.rocketmqdoctor.demo.scenarios.Scenario;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Runs a scenario as the demo does, in its own work directory under the tests' work dir. */
final class Scenarios {
    private Scenarios() {}

    static Scenario.Outcome run(Scenario s, String client, boolean fix) throws Exception {
        Path dir = Paths.get(System.getProperty("doctor.work.dir", "target/it-work"),
                s.name() + "-" + client + (fix ? "-fix-" : "-") + System.nanoTime()).toAbsolutePath();
        Scenario.Outcome o = s.run(new Scenario.Options(fix, client, RocketMqDist.serverFor(client), dir));
        // In target/surefire-reports/<test>-output.txt: the figures the README quotes.
        System.out.println("RESULT " + o.result);
        return o;
    }
}
