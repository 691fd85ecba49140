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
}
