package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.advices.transactions.TransactionsFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Two transactional producers on one broker, each transaction 600 ms (300 ms of work, its row committed, 300 ms more);
 * the checker answers from the row. One producer's clock runs 60 s ahead (an RPCHook moves its sends' bornTimestamp
 * in that JVM only): the broker takes its half messages as due at once and checks them while they run (apache/rocketmq
 * #9640, #8158); a check that finds the row committed but the end not yet sent commits the message a second time.
 * The other producer, on time, runs after it and is never checked. The broker checks every second here (transactionCheckInterval), so
 * that a run is short; RocketMQ's default is a minute (30 s from 5.1).
 */
public final class TransactionSkewScenario implements Scenario {
    static final String TOPIC = "DoctorTx";
    static final String AGENT = "interval=1s";
    static final int COUNT = 40;
    private final long seconds;

    public TransactionSkewScenario() {
        this(0);
    }

    /** {@code seconds} > 0: the healthy producer runs that long (a healthy transactional application for minutes). */
    public TransactionSkewScenario(long seconds) {
        this.seconds = seconds;
    }

    @Override
    public String name() { return "transaction-skew"; }

    /** CPU seconds (user + system) of the threads of {@code pid} whose name starts with {@code prefix}; null without one. */
    static Double threadCpuSeconds(long pid, String prefix) {
        double ticks = 0;
        boolean found = false;
        try (java.util.stream.Stream<Path> tasks = java.nio.file.Files.list(java.nio.file.Paths.get("/proc", String.valueOf(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String stat = new String(java.nio.file.Files.readAllBytes(t.resolve("stat")));
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (!comm.startsWith(prefix)) continue;
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                found = true;
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        return found ? Math.round(ticks) / 100.0 : null; // USER_HZ: 100 on Linux
    }

    @Override
    public String description() {
        return "a transactional producer whose clock is 60 s ahead: its transactions are checked while they run, some committed twice";
    }

    @Override
    public String defaultRocketmq() { return "4.9.7"; }

    @Override
    public Outcome run(Options o) throws Exception {
        try (Cluster cluster = new Cluster(o.server, o.dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            // --fix: the broker runs transactions.fix (5.5.0's op-batch thread waits its interval when idle)
            cluster.withAgent(o.fix ? AGENT + ",transactions.fix=true" : AGENT);
            Cluster.Server broker = cluster.startBroker("broker-a", List.of(ns.address), Map.of("transactionCheckInterval", "1000"));
            Clients clients = new Clients(o.rocketmq, o.dir.resolve("clients"));
            clients.createTopic(ns.address, broker.address, TOPIC, 4);
            long healthyMs = seconds > 0 ? seconds * 1000 : 0;
            Child consumer = clients.startConsumer("consumer", AGENT, "--namesrv", ns.address, "--topic", TOPIC, "--group", "doctor-tx-consumer",
                    "--timeout-ms", String.valueOf(healthyMs + 60_000));
            Child skewed = clients.start("tx-skewed", "TxProducerMain", AGENT, Collections.emptyList(), "--namesrv", ns.address, "--topic", TOPIC,
                    "--group", "doctor-tx-skewed", "--tag", "skewed", "--count", String.valueOf(COUNT), "--clock-ahead-ms", "60000");
            Map<String, Object> r = o.result(name());
            Map<String, Object> s = Clients.result(skewed, 180_000);
            // after the skewed one: a broker's scan of the half queue stops at the first young half message it finds, so
            // a healthy producer's transactions in the same queue would hold the skewed ones back from their checks
            Child healthy = clients.start("tx-healthy", "TxProducerMain", AGENT, Collections.emptyList(), "--namesrv", ns.address, "--topic", TOPIC,
                    "--group", "doctor-tx-healthy", "--tag", "healthy",
                    healthyMs > 0 ? "--duration-ms" : "--count", healthyMs > 0 ? String.valueOf(healthyMs) : String.valueOf(COUNT));
            Map<String, Object> h = Clients.result(healthy, healthyMs + 180_000);
            Map<String, Object> c = Clients.result(consumer, healthyMs + 180_000);
            long skewedTwice = Clients.count(c.get("receivedByTag"), "skewed") - Clients.count(c.get("byTag"), "skewed");
            long healthyTwice = Clients.count(c.get("receivedByTag"), "healthy") - Clients.count(c.get("byTag"), "healthy");
            r.put("skewedProducer", Map.of("sent", s.get("sent"), "checks", s.get("checks")));
            r.put("skewedConsumed", Clients.count(c.get("byTag"), "skewed"));
            r.put("skewedConsumedTwice", skewedTwice);
            r.put("healthyProducer", Map.of("sent", h.get("sent"), "checks", h.get("checks")));
            r.put("healthyConsumed", Clients.count(c.get("byTag"), "healthy"));
            r.put("healthyConsumedTwice", healthyTwice);
            Path brokerDoctor = o.dir.resolve("cluster").resolve("broker-a").resolve("doctor");
            // 5.5.0's TransactionalOpBatchService (apache/rocketmq #10966): its CPU time as the OS counts it, and what was said
            r.put("opBatchCpuSeconds", threadCpuSeconds(broker.child.pid(), "TransactionalOp"));
            r.put("opBatchSaid", AgentOutput.message(brokerDoctor, TransactionsFeature.OP_BATCH_SPIN));
            if (o.fix) r.put("opBatchFixed", AgentOutput.message(brokerDoctor, TransactionsFeature.OP_BATCH_FIXED));
            r.put("brokerSaid", AgentOutput.message(brokerDoctor, TransactionsFeature.CLOCK_SKEW));
            r.put("skewedProducerSaid", AgentOutput.message(clients.doctorDir("tx-skewed"), TransactionsFeature.CLOCK_SKEW));
            TreeSet<String> healthyCodes = new TreeSet<>();
            for (String code : AgentOutput.codes(clients.doctorDir("tx-healthy"), clients.doctorDir("consumer"))) {
                if (code.startsWith("transactions.") || code.startsWith("offsets.") || code.startsWith("retries.")) healthyCodes.add(code);
            }
            r.put("healthySaid", healthyCodes);
            long healthySent = ((Number) h.get("sent")).longValue();
            boolean ok = r.get("brokerSaid") != null && r.get("skewedProducerSaid") != null && !((Map<?, ?>) s.get("checks")).isEmpty()
                    && ((Map<?, ?>) h.get("checks")).isEmpty() && healthyTwice == 0 && healthyCodes.isEmpty()
                    && Clients.count(c.get("byTag"), "healthy") == healthySent && healthySent > 0;
            String why = "the skewed producer's transactions were checked while they ran (" + s.get("checks") + "; " + skewedTwice
                    + " consumed twice) and the broker and the producer named its clock; the healthy producer's " + healthySent
                    + " were never checked, consumed once each, nothing said";
            return new Outcome(r, ok, ok ? why : "expected: " + why);
        }
    }
}
