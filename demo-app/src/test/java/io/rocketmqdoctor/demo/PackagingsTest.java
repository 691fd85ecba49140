package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.scenarios.Scenario;
import io.rocketmqdoctor.demo.scenarios.SpringBootScenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packagings users ship, built by the real plugins in the test: a Spring Boot 3 executable jar
 * (jar:nested:), a Spring Boot 2 one (jar:file:...!/BOOT-INF/lib/), and a shade-plugin uber jar without any
 * RocketMQ Maven metadata, the last with the agent in JAVA_TOOL_OPTIONS. Each sends 200 messages through a
 * real broker and consumes them; the agent must read the release, weave remoting, clientid and rebalance, and
 * record every send exactly once.
 */
@RealProcesses
class PackagingsTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.9.7", "5.5.0"})
    void everySendIsRecordedOnceInEveryPackaging(String client) throws Exception {
        Scenario.Outcome o = Scenarios.run(new SpringBootScenario(), client, false);
        assertTrue(o.ok, o.why + " " + o.result);
        @SuppressWarnings("unchecked") Map<String, Map<String, Object>> runs = (Map<String, Map<String, Object>>) o.result.get("runs");
        assertEquals(3, runs.size(), runs.toString());
        for (Map.Entry<String, Map<String, Object>> e : runs.entrySet()) {
            Map<String, Object> r = e.getValue();
            assertEquals(200L, ((Number) r.get("sent")).longValue(), e.toString());
            assertEquals(200L, ((Number) r.get("recorded")).longValue(), e.toString());
            assertEquals(200L, ((Number) r.get("received")).longValue(), e.toString());
            assertEquals(client, r.get("release"), e.toString());
            assertEquals(java.util.Arrays.asList("remoting", "clientid", "rebalance"), r.get("woven"), e.toString());
        }
    }
}
