package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.scenarios.MixedSubscriptionsScenario;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 16, cause 4 on the newest 4.x and 5.x brokers: consumers of one group with different subscriptions. */
class MixedSubscriptionsTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.9.7", "5.5.0"})
    void theBrokerNamesBothExpressionsOfTheGroup(String client) throws Exception {
        Scenario.Outcome o = Scenarios.run(new MixedSubscriptionsScenario(), client, false);
        assertTrue(o.ok, o.why + " " + o.result);
        assertEquals(Boolean.TRUE, o.result.get("brokerFinding"), o.result.toString());
    }
}
