package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.rebalance.RebalanceFeature;
import io.rocketmqdoctor.advices.clientid.ClientIdFeature;
import io.rocketmqdoctor.demo.clients.ConsumerMain;
import io.rocketmqdoctor.demo.clients.ProducerMain;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Incident 1. A topic with 8 queues, two consumer JVMs of one group that share client IP and instance name,
 * as two containers on host networking do. Where the machine allows (client up to 4.8.0, whose default
 * instance name is the PID), each twin runs in its own PID namespace, so both are PID 1 with the default
 * name; newer clients make the default unique, so there both set one explicit instance name. Then steady
 * sends; without the fix half the queues are never consumed.
 */
public final class TwinConsumersScenario implements Scenario {
    static final String TOPIC = "TwinConsumers";
    static final String GROUP = "twin-group";
    static final int QUEUES = 8;
    static final long SEND_MS = 10_000;

    /** RocketMQ's periodic rebalance (20 s by default) every 2 s: the steady state sooner, the same state. */
    static final List<String> REBALANCE_EVERY_2S = Collections.singletonList("-Drocketmq.client.rebalance.waitInterval=2000");

    @Override
    public String name() { return "twin-consumers"; }

    @Override
    public String description() {
        return "two consumers of one group with one client id (same IP, same PID-like name): half the queues unconsumed";
    }

    @Override
    public String defaultRocketmq() { return "4.8.0"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Cluster.Server broker = cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            clients.createTopic(ns.address, broker.address, TOPIC, QUEUES);

            boolean pidName = defaultNameIsPid(o.rocketmq);
            boolean pidNamespaces = pidName && unshareWorks();
            String twins = pidNamespaces ? "pid-namespace (both PID 1, default instance name)" : "shared explicit instance name";
            if (!pidNamespaces) {
                System.out.println(pidName
                        ? "unshare --pid is refused here: twins share an explicit instance name instead"
                        : "client " + o.rocketmq + " makes its default instance name unique (pid#nanoTime): twins share an explicit instance name");
            }
            // An explicit shared name is the user's: the fix rewrites it only when asked to (mode=always).
            String agent = "interval=1s" + (o.fix ? ",clientid.fix=true" + (pidNamespaces ? "" : ",clientid.fix.mode=always") : "");
            Path stop = o.dir.resolve("stop");
            List<Child> consumers = new ArrayList<>();
            long joinedAt = 0;
            for (int i = 1; i <= 2; i++) {
                List<String> args = new ArrayList<>(Arrays.asList("--namesrv", ns.address, "--topic", TOPIC, "--group", GROUP,
                        "--timeout-ms", "600000", "--stop-file", stop.toString(), "--ids-file", o.dir.resolve("ids-" + i).toString(),
                        // 5.5.0 once missed a twin's first heartbeat: its pulls found no subscription for 30 s
                        "--heartbeat-ms", "2000"));
                if (!pidNamespaces) args.addAll(Arrays.asList("--instance-name", "twin"));
                List<String> wrapper = pidNamespaces
                        ? Arrays.asList("unshare", "--pid", "--fork", "--mount-proc", "--kill-child=SIGTERM") : Collections.emptyList();
                if (i == 2) joinedAt = System.currentTimeMillis();
                Child c = clients.start("consumer-" + i, "ConsumerMain", agent, REBALANCE_EVERY_2S, wrapper, args.toArray(new String[0]));
                if (c.awaitLine(ConsumerMain.STARTED, 60_000) == null) throw new IllegalStateException("consumer " + i + " did not start:\n" + c.output());
                consumers.add(c);
            }
            // Let a periodic rebalance pass (every 2 s here, RocketMQ's own property): a consumer that missed the
            // broker's notice that the group changed keeps all queues until then; the twins' steady state is measured.
            Thread.sleep(5_000);
            Child producer = clients.start("producer", "ProducerMain", null, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", TOPIC, "--rate", "50", "--duration-ms", String.valueOf(SEND_MS));
            Map<String, Object> p = Clients.result(producer, SEND_MS + 60_000);
            long sent = ((Number) p.get("sent")).longValue();
            Thread.sleep(10_000);
            Path cut = o.dir.resolve("stop.tmp");
            Files.writeString(cut, String.valueOf(System.currentTimeMillis()));
            Files.move(cut, stop, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

            Set<String> ids = new HashSet<>();
            Set<String> queues = new TreeSet<>();
            for (int i = 0; i < consumers.size(); i++) {
                Map<String, Object> r = Clients.result(consumers.get(i), 60_000);
                queues.addAll(((Map<String, ?>) r.get("byQueue")).keySet());
                Path f = o.dir.resolve("ids-" + (i + 1));
                if (Files.exists(f)) ids.addAll(Files.readAllLines(f));
            }
            Set<String> codes = new TreeSet<>();
            Long findingAfterJoinMs = null;
            for (int i = 1; i <= 2; i++) {
                Path doctor = clients.doctorDir("consumer-" + i);
                codes.addAll(AgentOutput.codes(doctor));
                for (Map<String, Object> f : AgentOutput.findings(doctor)) {
                    if (!RebalanceFeature.DUPLICATE_CLIENT_ID.equals(f.get("code"))) continue;
                    long at = Instant.parse((String) f.get("time")).toEpochMilli() - joinedAt;
                    if (findingAfterJoinMs == null || at < findingAfterJoinMs) findingAfterJoinMs = at;
                }
            }
            Map<String, Object> r = o.result(name());
            r.put("twins", twins);
            r.put("queues", QUEUES);
            r.put("queuesConsumed", queues.size());
            r.put("sent", sent);
            r.put("received", (long) ids.size());
            r.put("backlog", sent - ids.size());
            r.put("findings", codes);
            r.put("findingAfterJoinMs", findingAfterJoinMs);
            return judge(o, r, codes);
        }
    }

    static Outcome judge(Options o, Map<String, Object> r, Set<String> codes) {
        int consumed = (Integer) r.get("queuesConsumed");
        long backlog = (Long) r.get("backlog");
        if (!o.fix) {
            boolean ok = consumed == QUEUES / 2 && backlog > 0 && codes.contains(RebalanceFeature.DUPLICATE_CLIENT_ID)
                    && codes.contains(RebalanceFeature.ORPHANED_QUEUES);
            return new Outcome(r, ok, ok ? "twins consumed 4 of 8 queues; the findings name the duplicate id and the orphaned queues"
                    : "expected 4 of 8 queues consumed, a backlog, and rebalance.duplicate-client-id + rebalance.orphaned-queues");
        }
        boolean ok = consumed == QUEUES && backlog == 0 && codes.contains(ClientIdFeature.INSTANCE_NAME_REWRITTEN)
                && !codes.contains(RebalanceFeature.DUPLICATE_CLIENT_ID);
        return new Outcome(r, ok, ok ? "with the fix the twins are distinct: 8 of 8 queues, every message received"
                : "expected 8 of 8 queues, backlog 0, clientid.instance-name-rewritten and no duplicate id");
    }

    /** Up to 4.8.0 changeInstanceNameToPID() makes the default instance name the bare PID; 4.9.0 made it pid#nanoTime. */
    static boolean defaultNameIsPid(String version) {
        return io.rocketmqdoctor.demo.harness.RocketMqDist.before(version, "4.9.0");
    }

    public static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "true").redirectErrorStream(true).start();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
