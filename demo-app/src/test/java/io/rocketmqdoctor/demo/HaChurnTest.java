package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.ha.HaFeature;
import io.rocketmqdoctor.demo.scenarios.HaChurnScenario;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incident 4 on real master/slave pairs: 4.5.1 churns without the fix and holds with it; 4.9.7 (fix on: it says it
 * does nothing there) and 5.5.0 hold;
 * a 5.5.0 slave given haMasterAddress never connects. Each pair idles a minute, so they run side by side
 * (their own ports and stores; mostly idle JVMs) to keep the suite's time.
 */
@RealProcesses
class HaChurnTest {
    @Test
    @SuppressWarnings("unchecked")
    void churnOnlyWhereTheBugIsAndNeverWithTheFix() throws Exception {
        Map<String, Future<Scenario.Outcome>> runs = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            runs.put("4.5.1", pool.submit(() -> Scenarios.run(new HaChurnScenario(), "4.5.1", false)));
            runs.put("4.5.1 fix", pool.submit(() -> Scenarios.run(new HaChurnScenario(), "4.5.1", true)));
            runs.put("4.9.7 fix", pool.submit(() -> Scenarios.run(new HaChurnScenario(), "4.9.7", true)));
            runs.put("5.5.0", pool.submit(() -> Scenarios.run(new HaChurnScenario(), "5.5.0", false)));
            runs.put("5.5.0 haMasterAddress", pool.submit(() -> Scenarios.run(new HaChurnScenario(25_000, true), "5.5.0", false)));
            Map<String, Scenario.Outcome> out = new LinkedHashMap<>();
            for (Map.Entry<String, Future<Scenario.Outcome>> e : runs.entrySet()) out.put(e.getKey(), e.getValue().get());

            Map<String, Object> bug = out.get("4.5.1").result;
            assertTrue(out.get("4.5.1").ok, out.get("4.5.1").why + " " + bug);
            assertTrue(((Number) bug.get("haReconnects")).longValue() >= 2, "about three a minute: " + bug);
            Collection<String> bugFindings = (Collection<String>) bug.get("findings");
            assertTrue(bugFindings.contains(HaFeature.LINK_CHURN) && bugFindings.contains(HaFeature.SLAVE_NOT_REPORTING), bug.toString());

            for (String k : new String[]{"4.5.1 fix", "4.9.7 fix", "5.5.0"}) {
                Map<String, Object> r = out.get(k).result;
                assertTrue(out.get(k).ok, k + ": " + out.get(k).why + " " + r);
                assertEquals(0L, ((Number) r.get("haReconnects")).longValue(), k + ": " + r);
                assertFalse(((Collection<String>) r.get("findings")).stream().anyMatch(c -> c.startsWith("ha.")), k + ": " + r);
                assertEquals(100L, ((Number) r.get("sent")).longValue(), k + ": the SYNC_MASTER took every send: " + r);
            }

            assertTrue(String.valueOf(out.get("4.5.1 fix").result.get("slaveFixSaid")).contains("from its last report"),
                    out.get("4.5.1 fix").result.toString());
            assertTrue(String.valueOf(out.get("4.9.7 fix").result.get("slaveFixSaid")).contains("does nothing on this release"),
                    out.get("4.9.7 fix").result.toString());

            Map<String, Object> never = out.get("5.5.0 haMasterAddress").result;
            assertTrue(out.get("5.5.0 haMasterAddress").ok, out.get("5.5.0 haMasterAddress").why + " " + never);
            assertTrue(((Collection<String>) never.get("findings")).contains(HaFeature.SLAVE_NEVER_CONNECTS), never.toString());
        } finally {
            pool.shutdownNow();
        }
    }
}
