package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.harness.RocketMqDist;
import io.rocketmqdoctor.demo.scenarios.BasicScenario;
import io.rocketmqdoctor.demo.scenarios.SharedInstanceScenario;
import io.rocketmqdoctor.demo.scenarios.BusyBrokerScenario;
import io.rocketmqdoctor.demo.scenarios.UnreachableBrokerScenario;
import io.rocketmqdoctor.demo.scenarios.OffsetRewindScenario;
import io.rocketmqdoctor.demo.scenarios.TransactionSkewScenario;
import io.rocketmqdoctor.demo.scenarios.RetryStormScenario;
import io.rocketmqdoctor.demo.scenarios.BrokerStallScenario;
import io.rocketmqdoctor.demo.scenarios.GrpcBasicScenario;
import io.rocketmqdoctor.demo.scenarios.HalfOpenScenario;
import io.rocketmqdoctor.demo.scenarios.ProxyRestartScenario;
import io.rocketmqdoctor.demo.scenarios.HaChurnScenario;
import io.rocketmqdoctor.demo.scenarios.HealthyClusterScenario;
import io.rocketmqdoctor.demo.scenarios.HungNamesrvScenario;
import io.rocketmqdoctor.demo.scenarios.MixedSubscriptionsScenario;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import io.rocketmqdoctor.demo.scenarios.SighupScenario;
import io.rocketmqdoctor.demo.scenarios.SlowConsumerScenario;
import io.rocketmqdoctor.demo.scenarios.SpringBootScenario;
import io.rocketmqdoctor.demo.scenarios.StoppedPullScenario;
import io.rocketmqdoctor.demo.scenarios.StuckListenerScenario;
import io.rocketmqdoctor.demo.scenarios.TwinConsumersScenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * java -jar rocketmq-doctor-demo.jar list
 * java -jar rocketmq-doctor-demo.jar run <scenario>|all [--fix] [--rocketmq <client version>] [--server <broker version>]
 * java -jar rocketmq-doctor-demo.jar run healthy-cluster [--fix] [--rocketmq <version>] [--seconds N]
 */
public final class DemoMain {
    static final List<Scenario> SCENARIOS = Arrays.asList(new BasicScenario(), new HungNamesrvScenario(), new TwinConsumersScenario(),
            new BrokerStallScenario(), new SighupScenario(), new HaChurnScenario(), new SpringBootScenario(),
            new SlowConsumerScenario(), new StuckListenerScenario(), new MixedSubscriptionsScenario(),
            new StoppedPullScenario(), new HealthyClusterScenario(), new GrpcBasicScenario(),
            new ProxyRestartScenario(), new HalfOpenScenario(), new SharedInstanceScenario(),
            new BusyBrokerScenario(), new UnreachableBrokerScenario(), new OffsetRewindScenario(), new TransactionSkewScenario(),
            new RetryStormScenario());

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("list")) {
            for (Scenario s : SCENARIOS) System.out.printf("%-16s %s (default RocketMQ %s)%n", s.name(), s.description(), s.defaultRocketmq());
            return 0;
        }
        if (!args[0].equals("run") || args.length < 2) {
            System.err.println("usage: list | run <scenario>|all [--fix] [--rocketmq <client version>] [--server <broker version>] [--seconds N (healthy-cluster, transaction-skew)]");
            return 2;
        }
        boolean fix = false;
        String rocketmq = null;
        String server = null;
        long seconds = 0;
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--fix")) fix = true;
            else if (args[i].equals("--seconds") && i + 1 < args.length && args[i + 1].matches("[1-9]\\d{0,5}")) seconds = Long.parseLong(args[++i]);
            else if (args[i].equals("--rocketmq") && i + 1 < args.length) rocketmq = args[++i];
            else if (args[i].equals("--server") && i + 1 < args.length) server = args[++i];
            else {
                System.err.println("unknown option " + args[i]);
                return 2;
            }
        }
        Path work = Paths.get(System.getProperty("doctor.work.dir", "rocketmq-doctor-demo")).toAbsolutePath();
        if (args[1].equals("all")) return runAll(rocketmq, server, work);
        Scenario s = find(args[1]);
        if (s instanceof HealthyClusterScenario && seconds > 0) s = new HealthyClusterScenario(seconds);
        if (s instanceof TransactionSkewScenario && seconds > 0) s = new TransactionSkewScenario(seconds);
        if (s == null) {
            System.err.println("no scenario " + args[1] + "; 'list' shows them");
            return 2;
        }
        return print(runOne(s, fix, rocketmq, server, work)) ? 0 : 1;
    }

    static Scenario.Outcome runOne(Scenario s, boolean fix, String rocketmq, String server, Path work) throws Exception {
        String client = rocketmq != null ? rocketmq : s.defaultRocketmq();
        String srv = server != null ? server : RocketMqDist.serverFor(client);
        Path dir = Files.createDirectories(work).resolve(s.name() + (fix ? "-fix-" : "-") + System.currentTimeMillis());
        System.out.println("=== " + s.name() + ": client " + client + ", server " + srv + ", fix " + (fix ? "on" : "off") + ", work dir " + dir);
        Scenario.Outcome o = s.run(new Scenario.Options(fix, client, srv, dir));
        reports(dir);
        return o;
    }

    /** One HTML report per agent output directory of the run (java -jar <agent jar> report <dir>). */
    static void reports(Path dir) throws Exception {
        List<Path> doctors;
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            doctors = walk.filter(p -> p.getFileName().toString().equals("doctor") && Files.isDirectory(p))
                    .filter(p -> !io.rocketmqdoctor.demo.scenarios.AgentOutput.hlogs(p).isEmpty())
                    .sorted().collect(java.util.stream.Collectors.toList());
        }
        for (Path d : doctors) {
            Process p = new ProcessBuilder(io.rocketmqdoctor.demo.harness.Jvm.java(), "-jar",
                    io.rocketmqdoctor.demo.harness.Jvm.agentJar().toString(), "report", d.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            System.out.println("report (" + dir.relativize(d.getParent()) + "): " + out.replace("report written to ", ""));
        }
    }

    private static boolean print(Scenario.Outcome o) {
        System.out.println((o.ok ? "OK: " : "NOT OK: ") + o.why);
        System.out.println("RESULT " + MiniJson.write(o.result));
        return o.ok;
    }

    private static int runAll(String rocketmq, String server, Path work) throws Exception {
        List<String[]> rows = new ArrayList<>();
        boolean allOk = true;
        for (Scenario s : SCENARIOS) {
            Map<String, Scenario.Outcome> both = new LinkedHashMap<>();
            for (boolean fix : new boolean[]{false, true}) {
                Scenario.Outcome o = runOne(s, fix, rocketmq, server, work);
                allOk &= print(o);
                both.put(fix ? "fix" : "nofix", o);
            }
            rows.add(new String[]{s.name(), MiniJson.write(both.get("nofix").result), MiniJson.write(both.get("fix").result)});
        }
        System.out.println("\n=== side by side (without fix | with fix)");
        for (String[] r : rows) System.out.println(r[0] + "\n  without: " + r[1] + "\n  with:    " + r[2]);
        return allOk ? 0 : 1;
    }

    static Scenario find(String name) {
        for (Scenario s : SCENARIOS) if (s.name().equals(name)) return s;
        return null;
    }
}
