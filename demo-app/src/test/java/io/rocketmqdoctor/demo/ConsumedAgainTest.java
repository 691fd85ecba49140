package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.scenarios.OffsetRewindScenario;
import io.rocketmqdoctor.demo.scenarios.RetryStormScenario;
import io.rocketmqdoctor.demo.scenarios.Scenario;
import io.rocketmqdoctor.demo.scenarios.TransactionSkewScenario;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Why did my consumer get it twice?": an offset past the queue's end corrected to 0 (4.8.0, with offsets.fix beside
 * it) and to the end (5.5.0); a transactional producer whose clock runs ahead (4.9.7: checked while running, some
 * committed twice) beside one on time (never checked); a listener that throws (5.5.0: sent back, dead-lettered, an
 * orderly queue stuck). Each names its cause; 4.9.7's offsets and 4.3.0's retries are run by hand (docs/consumed-again.md).
 * One test at a time: two of these clusters beside another fork's (CI runs 21 and 24) loaded the two cores enough for
 * a gRPC client's first route query and a 5.5.0 broker's start to time out in other classes.
 */
@RealProcesses
class ConsumedAgainTest {
    @Test
    void anOffsetPastTheEndIsConsumedAgainOn480UnlessTheFixMovesItToTheEnd() throws Exception {
        Scenario.Outcome o = Scenarios.run(new OffsetRewindScenario(), "4.8.0", true);
        assertEquals(100L, ((Number) o.result.get("consumedTwiceA")).longValue(), "the plain 4.8.0 broker moves the offset to 0: " + o.result);
        assertEquals(0L, ((Number) o.result.get("consumedTwiceB")).longValue(), "offsets.fix moves it to the end: " + o.result);
        String said = String.valueOf(o.result.get("brokerASaid"));
        // the first burst of corrections is told (the queues whose pulls came within a reporting interval: 1 s here);
        // the others are counted (offsets.rewinds) and not told again within the findings window
        assertTrue(said.contains("moved it to the queue's start (0)") && said.contains("#4219")
                && said.matches(".*=1025->0 \\(queue 0\\.\\.25\\).*; (25|50|75|100) messages are consumed again.*"), said);
        assertTrue(String.valueOf(o.result.get("brokerBFixed")).contains("moved it to the end instead"), String.valueOf(o.result.get("brokerBFixed")));
        assertTrue(String.valueOf(o.result.get("consumerASaid")).contains("moved back by the broker's answer"), String.valueOf(o.result.get("consumerASaid")));
        assertTrue(String.valueOf(o.result.get("brokerANewGroupSaid")).contains("CONSUME_FROM_LAST_OFFSET"),
                String.valueOf(o.result.get("brokerANewGroupSaid")));
        assertTrue(o.ok, o.why + ": " + o.result);
    }

    @Test
    void anOffsetPastTheEndGoesToTheEndOn550AndIsToldAsNoRedelivery() throws Exception {
        Scenario.Outcome o = Scenarios.run(new OffsetRewindScenario(), "5.5.0", false);
        assertEquals(0L, ((Number) o.result.get("consumedTwiceA")).longValue(), o.result.toString());
        String said = String.valueOf(o.result.get("brokerASaid"));
        assertTrue(said.contains("moved it to the end") && said.contains("no message is consumed again"), said);
        assertTrue(o.ok, o.why + ": " + o.result);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aProducerClockAheadIsNamedAndItsTransactionsAreCheckedWhileTheOnTimeOneIsNot() throws Exception {
        Scenario.Outcome o = Scenarios.run(new TransactionSkewScenario(), "4.9.7", false);
        Map<String, Object> skewed = (Map<String, Object>) o.result.get("skewedProducer");
        assertTrue(!((Map<?, ?>) skewed.get("checks")).isEmpty(), "harness: the skewed producer's transactions were checked: " + o.result);
        assertTrue(String.valueOf(o.result.get("brokerSaid")).contains("ahead of this broker's by more than 6.0 s"), String.valueOf(o.result.get("brokerSaid")));
        assertTrue(String.valueOf(o.result.get("skewedProducerSaid")).contains("this host's clock is about 60"), String.valueOf(o.result.get("skewedProducerSaid")));
        Map<String, Object> healthy = (Map<String, Object>) o.result.get("healthyProducer");
        assertTrue(((Map<?, ?>) healthy.get("checks")).isEmpty(), "the producer on time is never checked: " + healthy);
        assertEquals(0L, ((Number) o.result.get("healthyConsumedTwice")).longValue());
        assertEquals("[]", String.valueOf(o.result.get("healthySaid")));
        assertTrue(o.ok, o.why + ": " + o.result);
    }

    @Test
    void aThrowingListenerIsNamedWhenItsMessagesGoBackAndToTheDeadLetterTopic() throws Exception {
        Scenario.Outcome o = Scenarios.run(new RetryStormScenario(), "5.5.0", false);
        String back = String.valueOf(o.result.get("consumerSaid"));
        assertTrue(back.contains("threw java.lang.IllegalStateException: cannot process message"), back);
        String dlq = String.valueOf(o.result.get("consumerDeadLetterSaid"));
        assertTrue(dlq.contains("gave up on 10 messages") && dlq.contains("%DLQ%doctor-retry") && dlq.contains("IllegalStateException"), dlq);
        String orderly = String.valueOf(o.result.get("orderlySaid"));
        assertTrue(orderly.contains("16 times") && orderly.contains("means forever"), orderly);
        assertTrue(o.ok, o.why + ": " + o.result);
    }
}
