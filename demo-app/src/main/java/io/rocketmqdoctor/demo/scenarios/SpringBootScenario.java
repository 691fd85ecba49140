package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.remoting.RemotingFeature;
import io.rocketmqdoctor.demo.MiniJson;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.Jvm;
import io.rocketmqdoctor.demo.harness.PackagedApps;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The agent where most RocketMQ clients run: one application, built by the real spring-boot-maven-plugin (3.x:
 * jar:nested: URLs; 2.x: jar:file:...!/BOOT-INF/lib/) and maven-shade-plugin (no RocketMQ jar name, no Maven
 * metadata), each run with the agent: by -javaagent for the Spring Boot jars, by JAVA_TOOL_OPTIONS (as in a
 * container) for the uber jar. Every send must be recorded once, and clientid and rebalance must be woven.
 */
public final class SpringBootScenario implements Scenario {
    static final int MESSAGES = 200;
    static final String SENDS = RemotingFeature.CLIENT_HISTOGRAM + ";role=broker;mode=sync;request=SEND_MESSAGE";

    @Override
    public String name() { return "spring-boot"; }

    @Override
    public String description() {
        return "a Spring Boot 3 and 2 executable jar and a shaded uber jar (JAVA_TOOL_OPTIONS), each sending 200 messages with the agent";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        PackagedApps boot3 = PackagedApps.build(o.rocketmq, PackagedApps.BOOT_3);
        PackagedApps boot2 = PackagedApps.build(o.rocketmq, PackagedApps.BOOT_2);
        Map<String, Object> r = o.result(name());
        Map<String, Object> runs = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            runs.put("spring-boot-" + PackagedApps.BOOT_3, runApp(o, "boot3", boot3.bootJar, ns.address, false, problems));
            runs.put("spring-boot-" + PackagedApps.BOOT_2, runApp(o, "boot2", boot2.bootJar, ns.address, false, problems));
            runs.put("shaded+JAVA_TOOL_OPTIONS", runApp(o, "shaded", boot3.shadedJar, ns.address, true, problems));
        }
        r.put("runs", runs);
        r.put("sent", MESSAGES);
        return new Outcome(r, problems.isEmpty(), problems.isEmpty()
                ? "every packaging: every send recorded once, clientid and rebalance woven" : String.join("; ", problems));
    }

    private static Map<String, Object> runApp(Options o, String name, Path jar, String namesrv, boolean toolOptions,
                                              List<String> problems) throws Exception {
        Path home = o.dir.resolve(name);
        Path doctor = home.resolve("doctor");
        String agentArgs = "interval=1s,output.dir=" + doctor;
        Map<String, String> env = new LinkedHashMap<>();
        // A container adds the agent without touching the command line: append to JAVA_TOOL_OPTIONS, never replace it.
        if (toolOptions) env.put("JAVA_TOOL_OPTIONS", "-javaagent:" + Jvm.agentJar() + "=" + agentArgs);
        List<String> cmd = PackagedApps.command(toolOptions ? null : agentArgs, jar, namesrv, "DoctorBoot" + name, String.valueOf(MESSAGES),
                "doctor_" + name);
        cmd.add(1, "-Duser.home=" + home);
        cmd.add(2, "-Drocketmq.client.logRoot=" + home.resolve("logs"));
        Child app = Child.start(name, cmd, home, env);
        app.waitFor(240_000);
        Matcher m = app.awaitLine("^APP-RESULT (.*)$", 1);
        String out = app.output();
        Map<String, Object> run = new LinkedHashMap<>();
        if (m == null) {
            problems.add(name + ": no APP-RESULT; output:\n" + Cluster.tail(app));
            return run;
        }
        Map<String, Object> a = MiniJson.object(m.group(1));
        long recorded = AgentOutput.summaryCountStartingWith(doctor, SENDS);
        Matcher release = java.util.regex.Pattern.compile("found RocketMQ (\\S+) \\(rocketmq-client\\)").matcher(out);
        run.put("sent", a.get("sent"));
        run.put("received", a.get("received"));
        run.put("recorded", recorded);
        run.put("release", release.find() ? release.group(1) : null);
        List<String> woven = new ArrayList<>();
        for (String f : new String[]{"remoting", "clientid", "rebalance"}) if (out.contains("[rocketmq-doctor] " + f + ": instrumented")) woven.add(f);
        run.put("woven", woven);
        if (((Number) a.get("sent")).longValue() != MESSAGES || recorded != MESSAGES) problems.add(name + ": sent " + a.get("sent") + ", recorded " + recorded);
        if (!o.rocketmq.equals(run.get("release"))) problems.add(name + ": release read as " + run.get("release"));
        if (woven.size() != 3) problems.add(name + ": woven only " + woven);
        if (toolOptions && !out.contains("Picked up JAVA_TOOL_OPTIONS")) problems.add(name + ": JAVA_TOOL_OPTIONS not picked up");
        return run;
    }
}
