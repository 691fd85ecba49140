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
     * A 4.x consumer's first rebalance can run before its first heartbeat reached the broker: missing once is no
     * finding, missing for longer than a heartbeat interval is, and being listed again starts over.
     */
    @Test
    void aConsumerIsMissingOnlyAfterAHeartbeatInterval() {
        String key = "g|t|10.0.0.1@1#2";
        assertFalse(TwinConsumerDetector.missingTooLong(key, false, 1_000));
        assertFalse(TwinConsumerDetector.missingTooLong(key, false, 21_000));
        assertTrue(TwinConsumerDetector.missingTooLong(key, false, 41_000));
        assertFalse(TwinConsumerDetector.missingTooLong(key, true, 61_000));
        assertFalse(TwinConsumerDetector.missingTooLong(key, false, 81_000));
        TwinConsumerDetector.reset();
    }
}
