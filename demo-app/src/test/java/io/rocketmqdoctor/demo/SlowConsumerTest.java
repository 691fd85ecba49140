package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.consumer.ConsumerFeature;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import io.rocketmqdoctor.demo.scenarios.SlowConsumerScenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the newest 4.x and 5.x (every release has the unbounded consume queue): without the fix the
 * pool stays at consumeThreadMin and the backlog grows, and the agent says why; with it the pool grows and keeps up.
 */
@RealProcesses
class SlowConsumerTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.9.7", "5.5.0"})
    void thePoolNeverGrowsUntilTheFixRaisesIt(String client) throws Exception {
        Scenario.Outcome[] both = Scenarios.withoutAndWith(SlowConsumerScenario::new, client);
        Scenario.Outcome without = both[0];
        assertTrue(without.ok, without.why + " " + without.result);
        assertEquals(4L, ((Number) without.result.get("consumeThreads")).longValue(), without.result.toString());
        Collection<?> codes = (Collection<?>) without.result.get("findings");
        assertTrue(codes.contains(ConsumerFeature.POOL_NEVER_GROWS) && codes.contains(ConsumerFeature.FLOW_CONTROL), without.result.toString());
        assertTrue(((Number) without.result.get("consumeCalls")).longValue() > 0, "consume calls are timed: " + without.result);

        Scenario.Outcome with = both[1];
        assertTrue(with.ok, with.why + " " + with.result);
        assertTrue(((Number) with.result.get("consumeThreads")).longValue() > 4, with.result.toString());
        assertTrue(((Number) with.result.get("backlogWhenSendingStopped")).longValue()
                        < ((Number) without.result.get("backlogWhenSendingStopped")).longValue() / 4,
                "the pool that grows keeps up: without " + without.result + ", with " + with.result);
    }
}
