package io.rocketmqdoctor.demo;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import io.rocketmqdoctor.demo.scenarios.BusyBrokerScenario;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker that answers every send with SYSTEM_BUSY beside a healthy one: 4.9.7 fails the sends that meet it first
 * until brokerbusy.fix makes them retry on the other broker; 5.5.0 retries them itself. Both name the broker and the
 * reason.
 */
@RealProcesses
@Execution(ExecutionMode.CONCURRENT)
class BusyBrokerTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.9.7", "5.5.0"})
    @SuppressWarnings("unchecked")
    void aBusyBrokerIsNamedWithItsReasonAndTheFixRetriesOnTheOther(String client) throws Exception {
        Scenario.Outcome o = Scenarios.run(new BusyBrokerScenario(), client, true);
        String said = String.valueOf(o.result.get("producerSaid"));
        assertTrue(said.contains("broker broker-b") && said.contains("[REJECTREQUEST]") && said.contains("transient store buffer"), said);
        Map<String, Object> plain = (Map<String, Object>) o.result.get("producer");
        if (client.startsWith("4.")) {
            assertTrue(((Number) plain.get("failed")).longValue() > 0, "harness: sends met the busy broker first and failed: " + plain);
            assertTrue(said.contains("fails a sync send so answered at once"), said);
            assertTrue(String.valueOf(o.result.get("producerFixedSaid")).contains("brokerbusy.fix made this client retry a sync send"),
                    String.valueOf(o.result.get("producerFixedSaid")));
        } else {
            assertEquals(0L, ((Number) plain.get("failed")).longValue(), plain.toString());
            assertTrue(said.contains("retries a sync send so answered on another broker itself"), said);
        }
        assertTrue(o.ok, o.why + ": " + o.result);
    }
}
