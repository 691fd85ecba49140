package io.rocketmqdoctor.demo;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import io.rocketmqdoctor.demo.scenarios.UnreachableBrokerScenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker advertising an address nobody listens on and one whose VIP port is closed, beside a healthy one, on 5.5.0
 * servers: the name server and the client name the first (no fix: only its brokerIP1 can), the client names the
 * second, whose sends fail until brokeraddress.fix sends them to its main port. Clients 4.9.7 and 5.5.0.
 */
@RealProcesses
@Execution(ExecutionMode.CONCURRENT)
class UnreachableBrokerTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.9.7", "5.5.0"})
    @SuppressWarnings("unchecked")
    void anAddressNobodyReachesIsNamedAndAClosedVipPortIsLeftByTheFix(String client) throws Exception {
        Scenario.Outcome o = Scenarios.run(new UnreachableBrokerScenario(), client, true);
        String ns = String.valueOf(o.result.get("namesrvSaid"));
        assertTrue(ns.contains("broker broker-b") && ns.contains("advertises 127.0.0.2:") && ns.contains("registered from 127.0.0.1"), ns);
        String producer = String.valueOf(o.result.get("producerSaid"));
        assertTrue(producer.contains("broker broker-b at 127.0.0.2:") && producer.contains("DoctorUnreachable"), producer);
        Map<String, Object> vip = (Map<String, Object>) o.result.get("vip");
        assertEquals(0L, ((Number) vip.get("sent")).longValue(), "harness: the VIP port refuses every send: " + vip);
        assertTrue(String.valueOf(o.result.get("vipSaid")).contains("broker broker-c's VIP channel"), String.valueOf(o.result.get("vipSaid")));
        assertTrue(o.ok, o.why + ": " + o.result);
    }
}
