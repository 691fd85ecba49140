package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.scenarios.Scenario;
import io.rocketmqdoctor.demo.scenarios.StoppedPullScenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 4.x ends a queue's pulls on an Error in the pull's callback and waits 120 s to repair it: without
 * the fix the queue's messages wait and the agent names the queue; with it the queue's pulls restart, every message is
 * consumed once, and no healthy queue is touched. On the newest 4.x (every 4.x release catches only Exception there).
 */
@RealProcesses
class StoppedPullTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.9.7"})
    void aQueueThatStoppedPullingIsNamedAndRestartedByTheFixAlone(String client) throws Exception {
        Scenario.Outcome[] both = Scenarios.withoutAndWith(StoppedPullScenario::new, client);
        Scenario.Outcome without = both[0];
        assertTrue(without.ok, without.why + " " + without.result);
        assertEquals(0L, ((Number) without.result.get("consumedQueue0")).longValue(), without.result.toString());

        Scenario.Outcome with = both[1];
        assertTrue(with.ok, with.why + " " + with.result);
        assertEquals(((Number) with.result.get("sentToQueue0")).longValue(), ((Number) with.result.get("consumedQueue0")).longValue(),
                with.result.toString());
        assertEquals(1L, ((Number) with.result.get("restartedQueues")).longValue(), with.result.toString());
    }

    /** 5.5.0 keeps pulling through the same fault: with the fix on, the agent says nothing and restarts nothing. */
    @org.junit.jupiter.api.Test
    void aClientThatKeepsPullingIsLeftAlone() throws Exception {
        Scenario.Outcome with = Scenarios.run(new StoppedPullScenario(), "5.5.0", true);
        assertTrue(with.ok, with.why + " " + with.result);
        assertEquals(0L, ((Number) with.result.get("restartedQueues")).longValue(), with.result.toString());
    }
}
