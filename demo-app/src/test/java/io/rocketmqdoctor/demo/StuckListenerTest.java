package io.rocketmqdoctor.demo;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import io.rocketmqdoctor.demo.scenarios.StuckListenerScenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On the newest 4.x and 5.x: a listener call that does not return is named once, with its stack and queue. */
@RealProcesses
@Execution(ExecutionMode.CONCURRENT)
class StuckListenerTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.9.7", "5.5.0"})
    void aListenerCallThatDoesNotReturnIsNamedWithItsStack(String client) throws Exception {
        Scenario.Outcome o = Scenarios.run(new StuckListenerScenario(), client, false);
        assertTrue(o.ok, o.why + " " + o.result);
        assertEquals(1, o.result.get("stuckReports"), "once per call: " + o.result);
        assertTrue(String.valueOf(o.result.get("stackTop")).contains("sleep"), "what it waits on: " + o.result);
        long after = ((Number) o.result.get("reportedAfterMs")).longValue();
        // (the call starts a few ms before it prints that it blocks, and the agent counts from the call's start)
        assertTrue(after >= 14_900 && after < 30_000, "reported once it ran for consumer.stuck (15 s), within a couple of intervals: " + o.result);
    }
}
