package io.rocketmqdoctor.advices.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The broker's flow-control remarks as 4.3.0 to 5.5.x write them, and remarks that are not flow control. */
class StoreTimesTest {
    @Test
    void eachFlowControlAnswerCountsOnceByItsPrefix() {
        long t = StoreTimes.TIMEOUT_CLEAN_QUEUE.get();
        long b = StoreTimes.PCBUSY_CLEAN_QUEUE.get();
        long s = StoreTimes.PC_SYNCHRONIZED.get();
        StoreTimes.remark("[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: 205ms, size of queue: 0");
        StoreTimes.remark("[PCBUSY_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: 3ms, size of queue: 12");
        StoreTimes.remark("[PC_SYNCHRONIZED]broker busy, start flow control for a while");
        StoreTimes.remark("[REJECTREQUEST]system busy, start flow control for a while");
        StoreTimes.remark("[TIMEOUT_CLEAN_QUEUE");
        assertEquals(t + 1, StoreTimes.TIMEOUT_CLEAN_QUEUE.get());
        assertEquals(b + 1, StoreTimes.PCBUSY_CLEAN_QUEUE.get());
        assertEquals(s + 1, StoreTimes.PC_SYNCHRONIZED.get());
    }
}
