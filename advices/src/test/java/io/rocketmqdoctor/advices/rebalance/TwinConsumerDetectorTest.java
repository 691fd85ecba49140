package io.rocketmqdoctor.advices.rebalance;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwinConsumerDetectorTest {
    /** Like AllocateMessageQueueByConfig: this consumer takes the queues it was configured with, others none. */
    public static final class ByConfig {
        public List<Object> allocate(String group, String id, List<Object> mqAll, List<String> cidAll) {
            return Collections.emptyList();
        }
    }

    @Test
    void orphansAreJudgedOnlyForStrategiesThatHandOutEveryQueue() {
        // Replaying ByConfig for the other ids gives them nothing: every queue would be called an orphan (an ERROR finding).
        assertFalse(TwinConsumerDetector.coversEveryQueue(new ByConfig()));
        assertFalse(TwinConsumerDetector.coversEveryQueue(null));
        assertTrue(TwinConsumerDetector.COMPLETE_STRATEGIES.contains("org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely"));
    }

    /**
     * A 4.x consumer's first rebalance can run before its first heartbeat reached the broker: missing once (or twice
     * in a moment) is no finding; missing in answers a heartbeat interval apart is, even with a listed answer between
     * (each rebalance asks a broker at random, and one broker may never list it); misses minutes apart are not.
     */
    @Test
    void aConsumerIsMissingOnlyInAnswersAHeartbeatIntervalApart() {
        String key = "g|t|10.0.0.1@1#2";
        assertFalse(TwinConsumerDetector.missingTooLong(key, false, 1_000));
        assertFalse(TwinConsumerDetector.missingTooLong(key, false, 1_100));
        assertFalse(TwinConsumerDetector.missingTooLong(key, true, 21_000));
        assertTrue(TwinConsumerDetector.missingTooLong(key, false, 41_000));
        String other = "g|t|10.0.0.2@3#4";
        assertFalse(TwinConsumerDetector.missingTooLong(other, false, 1_000));
        assertFalse(TwinConsumerDetector.missingTooLong(other, false, 301_000));
        TwinConsumerDetector.reset();
    }
}
