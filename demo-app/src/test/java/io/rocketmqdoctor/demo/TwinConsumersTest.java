package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.rebalance.RebalanceFeature;
import io.rocketmqdoctor.advices.clientid.ClientIdFeature;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import io.rocketmqdoctor.demo.scenarios.TwinConsumersScenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incident 1 on client 4.8.0 (twins made by PID namespaces, default instance name) and on 4.9.7 and 5.5.0
 * (explicit shared instance name), without and with the fix.
 */
class TwinConsumersTest {
    static Scenario.Outcome run(String client, boolean fix) throws Exception {
        return Scenarios.run(new TwinConsumersScenario(), client, fix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.8.0", "4.9.7", "5.5.0"})
    void twinsShareHalfTheQueuesUntilTheFixMakesThemDistinct(String client) throws Exception {
        Scenario.Outcome without = run(client, false);
        assertTrue(without.ok, without.why + " " + without.result);
        assertEquals(4, without.result.get("queuesConsumed"));
        assertTrue((Long) without.result.get("backlog") > 0);
        Object after = without.result.get("findingAfterJoinMs");
        assertNotNull(after, "rebalance.duplicate-client-id is reported");
        assertTrue(((Number) after).longValue() < 20_000, "within one rebalance interval (20 s) of the second twin joining: " + after);
        if (client.equals("4.8.0")) {
            assertTrue(String.valueOf(without.result.get("twins")).startsWith("pid-namespace"), without.result.toString());
            assertTrue(((java.util.Collection<?>) without.result.get("findings")).contains(ClientIdFeature.COLLISION_PRONE), without.result.toString());
        }

        Scenario.Outcome with = run(client, true);
        assertTrue(with.ok, with.why + " " + with.result);
        assertEquals(8, with.result.get("queuesConsumed"));
        assertEquals(0L, with.result.get("backlog"));
        assertEquals(with.result.get("sent"), with.result.get("received"));
        assertFalse(((java.util.Collection<?>) with.result.get("findings")).contains(RebalanceFeature.ORPHANED_QUEUES));
    }
}
