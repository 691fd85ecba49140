package io.rocketmqdoctor.demo;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import io.rocketmqdoctor.advices.clientid.ClientIdFeature;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import io.rocketmqdoctor.demo.scenarios.SharedInstanceScenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two producers of one JVM meant for two clusters, one instance name: every release gives them one client instance
 * with the first's name servers. Run with --fix: the plain JVM (the second cluster receives nothing, the error
 * names both), the fixed JVM beside it (each cluster receives its own), and a healthy application of one
 * configuration under the fix (one instance, its ids unchanged, nothing said).
 */
@RealProcesses
@Execution(ExecutionMode.CONCURRENT)
class SharedInstanceTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.9.7", "5.5.0"})
    @SuppressWarnings("unchecked")
    void theSecondClusterReceivesNothingUntilTheFixGivesItsProducerAnInstance(String client) throws Exception {
        Scenario.Outcome o = Scenarios.run(new SharedInstanceScenario(), client, true);
        Map<String, Object> app = (Map<String, Object>) o.result.get("app");
        Map<String, Object> b = (Map<String, Object>) app.get("b");
        assertEquals(Map.of("broker-a", 50L), b.get("byBroker"), "harness: without the fix the second producer sends to cluster A: " + o.result);
        String said = String.valueOf(o.result.get("appMessage"));
        assertTrue(said.contains("producer group doctor-shared-b") && said.contains("producer group doctor-shared-a")
                && said.contains(String.valueOf(((Map<String, Object>) app.get("a")).get("namesrv"))), said);
        assertTrue(String.valueOf(o.result.get("appFindings")).contains(ClientIdFeature.SHARED_INSTANCE), o.result.toString());
        // the fixed JVM: each cluster got its producer's messages; the healthy one: one instance, its ids, nothing said
        assertTrue(o.ok, o.why + ": " + o.result);
    }
}
