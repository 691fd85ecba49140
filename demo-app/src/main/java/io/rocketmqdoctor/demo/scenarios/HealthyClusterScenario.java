package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.clientid.ClientIdFeature;
import io.rocketmqdoctor.advices.consumer.ConsumerFeature;
import io.rocketmqdoctor.advices.os.OsFeature;
import io.rocketmqdoctor.advices.remoting.RemotingFeature;
import io.rocketmqdoctor.advices.signals.SignalsFeature;
import io.rocketmqdoctor.demo.clients.HealthyApp;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Nothing is wrong, and the agent must say so: two name servers and two brokers, a producer JVM sending sync,
 * async, one-way and transactional messages at a steady rate, and two consumer JVMs, each with a concurrent and an
 * orderly consumer (CLUSTERING, one group each, shared by the two JVMs) and a BROADCASTING one. Every JVM runs the
 * agent with its default switches. With the fix, a second application of the same shape runs beside the first with
 * every fix switch on (its own name server, broker, topic and groups): the counts must be the same and no fix may act.
 * On a 5.x cluster, RocketMQ 5's gRPC clients too: a proxy in local mode (its broker registered with the same name
 * servers) with the agent, and a JVM of the oldest and of the newest rocketmq-client-java, each a push consumer and a
 * producer sending twice a second for the run (with the fix, the newest with every fix on). The outcome is ok when no message was lost or consumed twice and no JVM
 * said warn or error, but the broker's host check (os.memory-settings), which is about the machine and true when it
 * differs.
 */
public final class HealthyClusterScenario implements Scenario {
    /** Every fix switch of the agent (the catalogue's *.fix). */
    public static final String ALL_FIXES = "remoting.fix=true,clientid.fix=true,consumer.fix=true,signals.fix=true,ha.fix=true,grpc.fix=true,brokerbusy.fix=true,brokeraddress.fix=true,offsets.fix=true,transactions.fix=true";
    static final int QUEUES = 8;
    static final long RATE = 40;
    /** The steady load's length when the run does not say: the test tier's share of CI. */
    public static final long DEFAULT_SECONDS = 90;
    /** The finding that reports the host, not the cluster: allowed at warn on brokers. */
    public static final String HOST_CHECK = OsFeature.MEMORY_SETTINGS;
    /** The gRPC client releases that run through the proxy on a 5.x cluster: the oldest and newest on Maven Central. */
    public static final List<String> GRPC_CLIENTS = Arrays.asList("5.0.0", "5.2.0");

    private final long seconds;

    public HealthyClusterScenario() {
        this(DEFAULT_SECONDS);
    }

    public HealthyClusterScenario(long seconds) {
        this.seconds = seconds;
    }

    @Override
    public String name() { return "healthy-cluster"; }

    @Override
    public String description() {
        return "nothing wrong for " + seconds + " s (sync, async, one-way, transactional; concurrent, orderly, broadcasting): no warning, nothing lost or twice; --fix adds a twin app with every fix on";
    }

    @Override
    public String defaultRocketmq() { return "5.5.0"; }

    /** One application: its name server and broker, its topic and groups, its agent switches. */
    private static final class App {
        final String name;
        final String agent;
        final String topic;
        Cluster.Server ns;
        Cluster.Server broker;
        Child producer;
        final List<Child> consumers = new ArrayList<>();
        /** A transactional producer and a consumer of its topic: checked never, consumed once each. */
        final String txTopic;
        Child txProducer;
        Child txConsumer;

        App(String name, String agent) {
            this.name = name;
            this.agent = agent;
            this.topic = "DoctorHealthy_" + name;
            this.txTopic = "DoctorHealthyTx_" + name;
        }
    }

    @Override
    public Outcome run(Options o) throws Exception {
        List<App> apps = new ArrayList<>();
        apps.add(new App("a", "interval=5s"));
        if (o.fix) apps.add(new App("b", "interval=5s," + ALL_FIXES));
        Map<String, Object> r = o.result(name());
        r.put("seconds", seconds);
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            for (App a : apps) a.ns = cluster.withAgent(a.agent).startNamesrv("namesrv-" + a.name);
            List<String> all = new ArrayList<>();
            for (App a : apps) all.add(a.ns.address);
            String namesrvs = String.join(";", all);
            // each broker registers with every name server, as in a cluster with several
            for (App a : apps) a.broker = cluster.withAgent(a.agent).startBroker("broker-" + a.name, all, new java.util.HashMap<>());
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            for (App a : apps) clients.createTopic(namesrvs, a.broker.address, a.topic, QUEUES);
            List<App> txApps = new ArrayList<>();
            for (App a : apps) if (runsTransactions(o.server, a)) txApps.add(a);
            for (App a : txApps) clients.createTopic(namesrvs, a.broker.address, a.txTopic, 4);
            Path stop = o.dir.resolve("stop");
            for (App a : txApps) {
                a.txConsumer = clients.startConsumer("tx-consumer-" + a.name, a.agent, "--namesrv", namesrvs, "--topic", a.txTopic,
                        "--group", "healthy-tx-consumer-" + a.name, "--stop-file", stop.toString(),
                        "--timeout-ms", String.valueOf(seconds * 1000 + 600_000));
            }
            for (App a : apps) {
                for (int i = 1; i <= 2; i++) {
                    String n = "consumer-" + a.name + i;
                    Path out = Files.createDirectories(o.dir.resolve("clients").resolve(n).resolve("keys"));
                    Child c = clients.start(n, "HealthyAppMain", a.agent, java.util.Collections.emptyList(), "--role", "consumers",
                            "--namesrv", namesrvs, "--topic", a.topic, "--group-prefix", "healthy-" + a.name,
                            "--stop-file", stop.toString(), "--out-dir", out.toString());
                    a.consumers.add(c);
                }
            }
            // the run starts when each group's queues are shared out: 8 between the two JVMs, 8 in each for broadcasting
            for (App a : apps) {
                if (!await(a.consumers, HealthyApp.QUEUES, new long[]{QUEUES, QUEUES, 2 * QUEUES}, 180_000)) {
                    return new Outcome(r, false, "harness: the consumers of app " + a.name + " never held every queue once: "
                            + lastLines(a.consumers, HealthyApp.QUEUES));
                }
            }
            for (App a : apps) {
                a.producer = clients.start("producer-" + a.name, "HealthyAppMain", a.agent, java.util.Collections.emptyList(),
                        "--role", "producer", "--namesrv", namesrvs, "--topic", a.topic, "--group-prefix", "healthy-" + a.name,
                        "--rate", String.valueOf(RATE), "--duration-ms", String.valueOf(seconds * 1000),
                        "--keys-file", o.dir.resolve("clients").resolve("sent-" + a.name + ".keys").toString());
                if (a.txConsumer != null) a.txProducer = clients.start("tx-producer-" + a.name, "TxProducerMain", a.agent, java.util.Collections.emptyList(),
                        "--namesrv", namesrvs, "--topic", a.txTopic, "--group", "healthy-tx-" + a.name, "--tag", "tx",
                        "--duration-ms", String.valueOf(seconds * 1000), "--threads", "2");
            }
            Cluster.Server proxy = null;
            List<Child> grpcApps = new ArrayList<>();
            Clients[] grpcClients = new Clients[GRPC_CLIENTS.size()];
            if (o.server.startsWith("5.")) {
                proxy = cluster.withAgent("interval=5s").startProxy("proxy-g", all);
                for (int i = 0; i < GRPC_CLIENTS.size(); i++) {
                    String v = GRPC_CLIENTS.get(i);
                    GrpcBasicScenario.topicAndGroup(cluster, namesrvs, proxy, "DoctorHealthy_grpc" + i, "healthy-grpc" + i);
                    grpcClients[i] = Clients.grpc(v, o.dir.resolve("clients"));
                    // with the fix, the newest client runs with every fix on (the oldest keeps the defaults)
                    String agent = o.fix && i == GRPC_CLIENTS.size() - 1 ? "interval=5s," + ALL_FIXES : "interval=5s";
                    grpcApps.add(grpcClients[i].start("grpc-" + v, "GrpcAppMain", agent, java.util.Collections.emptyList(),
                            "--mode", "push", "--endpoint", proxy.address, "--topic", "DoctorHealthy_grpc" + i,
                            "--group", "healthy-grpc" + i, "--seconds", String.valueOf(seconds), "--interval-ms", "500",
                            "--drain-ms", "10000"));
                }
            }
            Map<String, Map<String, Object>> produced = new LinkedHashMap<>();
            for (App a : apps) produced.put(a.name, Clients.result(a.producer, seconds * 1000 + 120_000));
            // everything sent is consumed before the count stops (or a minute passes: then something was lost)
            for (App a : apps) {
                long sent = ((Number) produced.get(a.name).get("sent")).longValue();
                await(a.consumers, HealthyApp.DISTINCT, new long[]{sent, sent, 2 * sent}, 60_000);
            }
            Map<String, Map<String, Object>> txProduced = new LinkedHashMap<>();
            for (App a : txApps) txProduced.put(a.name, Clients.result(a.txProducer, 120_000));
            Files.writeString(stop, "stop");
            boolean ok = true;
            StringBuilder why = new StringBuilder();
            Map<String, Object> counts = new LinkedHashMap<>();
            for (App a : txApps) {
                Map<String, Object> tx = txProduced.get(a.name);
                Map<String, Object> consumed = Clients.result(a.txConsumer, 60_000);
                long sent = ((Number) tx.get("sent")).longValue();
                long distinct = ((Number) consumed.get("distinct")).longValue();
                long received = ((Number) consumed.get("received")).longValue();
                counts.put("tx-" + a.name, Map.of("sent", sent, "failed", tx.get("failed"), "checks", tx.get("checks"),
                        "consumed", distinct, "twice", received - distinct));
                if (sent == 0 || distinct != sent || received != distinct || !((Map<?, ?>) tx.get("checks")).isEmpty()
                        || ((Number) tx.get("failed")).longValue() > 0) {
                    ok = false;
                    why.append("app ").append(a.name).append("'s transactions were checked, lost or doubled; ");
                }
            }
            for (App a : apps) {
                for (Child c : a.consumers) Clients.result(c, 60_000);
                Map<String, Object> app = new LinkedHashMap<>(produced.get(a.name));
                Set<String> sent = new HashSet<>(Files.readAllLines(o.dir.resolve("clients").resolve("sent-" + a.name + ".keys")));
                for (String g : HealthyApp.GROUPS) {
                    Map<String, Object> tally = tally(sent, a.consumers, clients, g);
                    app.put(g, tally);
                    if (((Number) tally.get("lost")).longValue() > 0 || ((Number) tally.get("twice")).longValue() > 0) {
                        ok = false;
                        why.append("app ").append(a.name).append(" group ").append(g).append(" lost or doubled messages; ");
                    }
                }
                long failed = 0;
                for (Object v : ((Map<?, ?>) app.get("failedByKind")).values()) failed += ((Number) v).longValue();
                if (failed > 0) {
                    ok = false;
                    why.append("app ").append(a.name).append(" had failed sends; ");
                }
                counts.put(a.name, app);
            }
            for (Child g : grpcApps) {
                Map<String, Object> app = Clients.result(g, 120_000);
                counts.put(g.name(), app);
                long sent = ((Number) app.get("sent")).longValue();
                if (sent == 0 || ((Number) app.get("sendFailures")).longValue() > 0 || ((Number) app.get("received")).longValue() != sent) {
                    ok = false;
                    why.append(g.name()).append(" lost messages or had failed sends; ");
                }
            }
            r.put("counts", counts);
            // what each JVM said, once the JVMs have exited (the servers' at their stop, after close)
            cluster.close();
            Map<String, Object> said = new TreeMap<>();
            Map<String, Object> untrue = new TreeMap<>();
            Map<String, Map<String, List<Map<String, Object>>>> byApp = new LinkedHashMap<>();
            boolean twinsHere = false;
            for (App a : apps) {
                Map<String, Path> jvms = new LinkedHashMap<>();
                jvms.put("namesrv-" + a.name, o.dir.resolve("cluster").resolve("namesrv-" + a.name).resolve("doctor"));
                jvms.put("broker-" + a.name, o.dir.resolve("cluster").resolve("broker-" + a.name).resolve("doctor"));
                jvms.put("producer-" + a.name, clients.doctorDir("producer-" + a.name));
                for (Child c : a.consumers) jvms.put(c.name(), clients.doctorDir(c.name()));
                if (a.txProducer != null) {
                    jvms.put("tx-producer-" + a.name, clients.doctorDir("tx-producer-" + a.name));
                    jvms.put("tx-consumer-" + a.name, clients.doctorDir("tx-consumer-" + a.name));
                }
                Map<String, List<Map<String, Object>>> found = new LinkedHashMap<>();
                for (Map.Entry<String, Path> j : jvms.entrySet()) {
                    found.put(j.getKey(), AgentOutput.findings(j.getValue()));
                    for (Map<String, Object> f : found.get(j.getKey())) twinsHere |= !a.agent.contains(".fix=true") && hostMakesTwins(f);
                }
                byApp.put(a.name, found);
            }
            if (proxy != null) {
                Map<String, List<Map<String, Object>>> found = new LinkedHashMap<>();
                found.put("proxy-g", AgentOutput.findings(o.dir.resolve("cluster").resolve("proxy-g").resolve("doctor")));
                for (Child g : grpcApps) found.put(g.name(), AgentOutput.findings(o.dir.resolve("clients").resolve(g.name()).resolve("doctor")));
                byApp.put("g", found);
            }
            r.put("hostMakesTwins", twinsHere);
            for (Map.Entry<String, Map<String, List<Map<String, Object>>>> app : byApp.entrySet()) {
                String agent = app.getKey().equals("b") ? apps.get(1).agent : app.getKey().equals("g") && o.fix ? ALL_FIXES : "";
                for (Map.Entry<String, List<Map<String, Object>>> j : app.getValue().entrySet()) {
                    List<String> lines = new ArrayList<>();
                    List<String> bad = new ArrayList<>();
                    for (Map<String, Object> f : j.getValue()) {
                        String code = String.valueOf(f.get("code"));
                        String severity = String.valueOf(f.get("severity"));
                        lines.add(severity + " " + code);
                        boolean alarm = severity.equals("warn") || severity.equals("error");
                        boolean hostFact = code.equals(HOST_CHECK) && (j.getKey().startsWith("broker-") || j.getKey().startsWith("proxy-"))
                                || hostMakesTwins(f) || releaseFact(o.server, j.getKey(), code);
                        if (alarm && !hostFact) bad.add(severity + " " + code + ": " + f.get("message"));
                        // every fix stays out of a healthy application: no finding of a fix acting, but clientid.fix
                        // where this host gives clients ids another process can have (then it acts by design)
                        boolean expectedFix = code.equals(ClientIdFeature.INSTANCE_NAME_REWRITTEN) && twinsHere;
                        if (agent.contains(".fix=true") && FIX_ACTIONS.contains(code) && !expectedFix) {
                            bad.add("fix acted: " + code + ": " + f.get("message"));
                        }
                    }
                    said.put(j.getKey(), lines);
                    if (!bad.isEmpty()) untrue.put(j.getKey(), bad);
                }
            }
            r.put("findings", said);
            r.put("untrue", untrue);
            if (!untrue.isEmpty()) {
                ok = false;
                why.append("findings on a healthy cluster: ").append(untrue.keySet()).append("; ");
            }
            return new Outcome(r, ok, ok ? "nothing lost, nothing twice, no warning or error but the host check"
                    : why.toString());
        }
    }

    /**
     * The findings a fix writes when it changes something: none may appear in a healthy application. (ha.fix has no
     * slave to act on here, and remoting.fix's route refresh after a failover writes no finding: neither is exercised.)
     */
    /**
     * Which applications run a transactional producer: all, but on 5.5.0 only the one with every fix on. 5.5.0's
     * TransactionalOpBatchService spins a core once its broker has ended a transaction (apache/rocketmq #10966): on this
     * 2-core machine the plain broker's spin slowed the other brokers' puts past 500 ms (CI run 23), true findings of an
     * unhealthy host. The spin and its finding are the transaction-skew demo's (docs/consumed-again.md); here the fixed
     * broker shows that transactions.fix keeps it idle.
     */
    static boolean runsTransactions(String server, App a) {
        return !server.equals("5.5.0") || a.agent.contains("transactions.fix=true");
    }

    /**
     * A warning true of the release, whatever the cluster does: 5.5.0's op-batch spin (above), should a plain broker
     * meet a transaction. (transactions.fix acting in the fixed application's broker is expected, not a fix acting on health.)
     */
    static boolean releaseFact(String server, String jvm, String code) {
        return server.equals("5.5.0") && jvm.startsWith("broker-") && code.equals(io.rocketmqdoctor.advices.transactions.TransactionsFeature.OP_BATCH_SPIN);
    }

    static final Set<String> FIX_ACTIONS = new HashSet<>(Arrays.asList(ClientIdFeature.INSTANCE_NAME_REWRITTEN,
            ClientIdFeature.INSTANCE_SEPARATED, io.rocketmqdoctor.advices.brokeraddress.BrokerAddressFeature.VIP_FALLBACK, ConsumerFeature.POOL_RAISED,
            ConsumerFeature.PULL_RESTARTED, RemotingFeature.CHANNEL_CLOSED_ON_TIMEOUT, SignalsFeature.SIGHUP_IGNORED,
            io.rocketmqdoctor.advices.grpc.GrpcFeature.CHANNEL_RESET, io.rocketmqdoctor.advices.offsets.OffsetsFeature.OVERFLOW_FIXED));

    /**
     * A clientid.collision-prone that is true of this host, whatever the cluster: the JVMs run in a PID namespace of
     * their own and a 4.x client is named by its PID, or the client IP RocketMQ picks is a loopback or bridge address
     * (RemotingUtil.getLocalAddress prefers others, but a host may have no other). Its evidence says which.
     */
    static boolean hostMakesTwins(Map<String, Object> f) {
        if (!ClientIdFeature.COLLISION_PRONE.equals(f.get("code"))) return false;
        Map<String, Object> ev = AgentOutput.evidence(f);
        String reasons = String.valueOf(ev.get("reasons"));
        return reasons.contains("client IP") || !"host".equals(ev.get("pidNamespace")) && reasons.contains("only a PID");
    }

    /** Sent keys against what one group consumed across the two JVMs (a BROADCASTING group: in each JVM). */
    static Map<String, Object> tally(Set<String> sent, List<Child> consumers, Clients clients, String group) throws Exception {
        boolean broadcast = group.equals("broadcast");
        List<Map<String, Long>> perJvm = new ArrayList<>();
        for (Child c : consumers) {
            Map<String, Long> m = new java.util.HashMap<>();
            for (String line : Files.readAllLines(clients.doctorDir(c.name()).getParent().resolve("keys").resolve(group + ".keys"))) {
                String[] kv = line.split(" ");
                m.put(kv[0], Long.parseLong(kv[1]));
            }
            perJvm.add(m);
        }
        long received = 0;
        long lost = 0;
        long twice = 0;
        long strangers = 0;
        List<Map<String, Long>> views = new ArrayList<>();
        if (broadcast) views.addAll(perJvm);
        else {
            Map<String, Long> union = new java.util.HashMap<>();
            for (Map<String, Long> m : perJvm) m.forEach((k, v) -> union.merge(k, v, Long::sum));
            views.add(union);
        }
        for (Map<String, Long> v : views) {
            for (Map.Entry<String, Long> e : v.entrySet()) {
                received += e.getValue();
                if (e.getValue() > 1) twice += e.getValue() - 1;
                if (!sent.contains(e.getKey())) strangers++;
            }
            for (String k : sent) if (!v.containsKey(k)) lost++;
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("received", received);
        t.put("lost", lost);
        t.put("twice", twice);
        t.put("notSent", strangers);
        return t;
    }

    /** Waits until the sums over the JVMs' last {@code prefix} lines reach {@code want} (column by column). */
    static boolean await(List<Child> jvms, String prefix, long[] want, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        do {
            long[] sum = new long[want.length];
            for (Child c : jvms) {
                String line = last(c, prefix);
                if (line == null) continue;
                String[] f = line.split(" ");
                for (int i = 0; i < want.length && i + 1 < f.length; i++) sum[i] += Long.parseLong(f[i + 1]);
            }
            if (Arrays.equals(sum, want)) return true;
            Thread.sleep(200);
        } while (System.currentTimeMillis() < end);
        return false;
    }

    static String lastLines(List<Child> jvms, String prefix) {
        List<String> l = new ArrayList<>();
        for (Child c : jvms) l.add(c.name() + ": " + last(c, prefix));
        return l.toString();
    }

    static String last(Child c, String prefix) {
        String found = null;
        for (String line : c.output().split("\n")) if (line.startsWith(prefix + " ")) found = line.trim();
        return found;
    }
}
