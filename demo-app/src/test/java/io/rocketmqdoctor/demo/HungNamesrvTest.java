package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.remoting.RemotingFeature;
import io.rocketmqdoctor.demo.scenarios.HungNamesrvScenario;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incident 2 on a client that has the bug (4.8.0) and the newest 4.x and 5.x, each without and with the fix.
 * The scenario's own expectations (see HungNamesrvScenario.judge) must hold, and on 4.9.1+ the fix must learn
 * the moved route from the poll that timed out, where RocketMQ alone waits for the next one.
 */
@RealProcesses
class HungNamesrvTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.8.0", "4.9.7", "5.5.0"})
    void findingOnEveryVersionAndTheFixMovesTheClient(String client) throws Exception {
        Scenario.Outcome[] both = Scenarios.withoutAndWith(HungNamesrvScenario::new, client);
        Scenario.Outcome without = both[0];
        assertTrue(without.ok, without.why + " " + without.result);
        Scenario.Outcome with = both[1];
        assertTrue(with.ok, with.why + " " + with.result);

        assertTrue(((java.util.Collection<?>) without.result.get("findings")).contains(RemotingFeature.NAMESRV_UNRESPONSIVE));
        assertTrue(((java.util.Collection<?>) with.result.get("findings")).contains(RemotingFeature.CHANNEL_CLOSED_ON_TIMEOUT), with.result.toString());
        assertEquals(Boolean.TRUE, with.result.get("unresponsiveNamed"));
        assertNotNull(with.result.get("routeRecoveryMs"), with.result.toString());
        Object fixedPoll = with.result.get("pollRecoveryMs");
        assertNotNull(fixedPoll, "with the fix the moved route is learned within the window: " + with.result);
        if (client.equals("4.8.0")) {
            assertNull(without.result.get("routeRecoveryMs"), without.result.toString());
            assertNull(without.result.get("pollRecoveryMs"), without.result.toString());
        } else {
            Object plainPoll = without.result.get("pollRecoveryMs");
            assertTrue(plainPoll == null || ((Number) plainPoll).longValue() > ((Number) fixedPoll).longValue(),
                    "the fix learns the moved route a poll earlier: without " + plainPoll + " ms, with " + fixedPoll + " ms");
        }
    }
}
