package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.clients.HealthyApp;
import io.rocketmqdoctor.advices.transactions.TransactionsFeature;
import io.rocketmqdoctor.demo.scenarios.HealthyClusterScenario;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What did the agent say that is not true? A healthy cluster on the oldest 4.x and the newest 5.x release, every
 * JVM with the agent's defaults, and beside it the same application with every fix on: nothing lost or consumed
 * twice, the same counts, no warning or error anywhere but the broker's host check (when this host's settings
 * differ), and no fix acting. The longer run before a release: docs/testing.md.
 */
@RealProcesses
class HealthyClusterTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.3.0", "5.5.0"})
    @SuppressWarnings("unchecked")
    void aHealthyClusterHearsNothingUntrue(String version) throws Exception {
        Scenario.Outcome o = Scenarios.run(new HealthyClusterScenario(), version, true);
        Map<String, Object> r = o.result;
        assertTrue(o.ok, o.why + " " + r);
        Map<String, Object> counts = (Map<String, Object>) r.get("counts");
        Map<String, Object> plain = (Map<String, Object>) counts.get("a");
        Map<String, Object> fixed = (Map<String, Object>) counts.get("b");
        for (Map<String, Object> app : List.of(plain, fixed)) {
            Map<String, Object> byKind = (Map<String, Object>) app.get("sentByKind");
            for (String kind : HealthyApp.KINDS) {
                assertTrue(((Number) byKind.get(kind)).longValue() > 0, "every kind of send was made: " + app);
            }
            long sent = ((Number) app.get("sent")).longValue();
            for (String g : HealthyApp.GROUPS) {
                Map<String, Object> t = (Map<String, Object>) app.get(g);
                assertEquals(g.equals("broadcast") ? 2 * sent : sent, ((Number) t.get("received")).longValue(), g + ": " + app);
                assertEquals(0L, ((Number) t.get("lost")).longValue(), g + ": " + app);
                assertEquals(0L, ((Number) t.get("twice")).longValue(), g + ": " + app);
            }
        }
        // transactional producers beside them: never checked, each message consumed once (the scenario's ok says so too)
        for (String app : version.equals("5.5.0") ? List.of("tx-b") : List.of("tx-a", "tx-b")) {
            Map<String, Object> tx = (Map<String, Object>) counts.get(app);
            assertTrue(((Number) tx.get("sent")).longValue() > 0 && tx.get("sent").equals(tx.get("consumed")), app + ": " + tx);
            assertEquals(0L, ((Number) tx.get("twice")).longValue(), app + ": " + tx);
            assertEquals(Map.of(), tx.get("checks"), app + ": " + tx);
        }
        // (the fixes changed nothing: app b, every fix on, met the same counts above, and the scenario found no fix acting)
        Map<String, Object> said = (Map<String, Object>) r.get("findings");
        boolean differs = BrokerHealthTest.hostDiffers();
        for (String broker : List.of("broker-a", "broker-b")) {
            assertEquals(differs, ((List<String>) said.get(broker)).contains("warn " + HealthyClusterScenario.HOST_CHECK),
                    "the host check warns on " + broker + " iff this host's settings differ: " + said);
        }
        // 5.5.0's op-batch thread spins once a transaction has ended (apache/rocketmq #10966): the broker with
        // transactions.fix waits it out (the plain application runs no transactions on 5.5.0: see runsTransactions)
        List<String> b = (List<String>) said.get("broker-b");
        assertTrue(!b.contains("warn " + TransactionsFeature.OP_BATCH_SPIN), "broker-b (transactions.fix): " + b);
        assertEquals(version.equals("5.5.0"), b.contains("info " + TransactionsFeature.OP_BATCH_FIXED), "broker-b (transactions.fix): " + b);
    }
}
