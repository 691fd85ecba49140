package io.rocketmqdoctor.advices.offsets;

import io.rocketmqdoctor.advices.FindingsWritten;
import io.rocketmqdoctor.base.Output;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.FindingsLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * offsets.fix changes only a 4.9.3- broker's correction of an offset past the queue's end to 0: a stand-in with
 * GetMessageResult's getters and setter, as BrokerOffsets reaches them by reflection.
 */
class OffsetsFixTest {
    public enum Status { FOUND, OFFSET_OVERFLOW_BADLY, NO_MESSAGE_IN_QUEUE }

    public static class Result {
        final Status status;
        long next;
        final long min;
        final long max;

        Result(Status status, long next, long min, long max) {
            this.status = status;
            this.next = next;
            this.min = min;
            this.max = max;
        }

        public Status getStatus() { return status; }
        public long getNextBeginOffset() { return next; }
        public void setNextBeginOffset(long next) { this.next = next; }
        public long getMinOffset() { return min; }
        public long getMaxOffset() { return max; }
    }

    @TempDir
    Path dir;
    FindingsLog log;

    @BeforeEach
    void on() {
        log = new FindingsLog(new Output(dir.toString()), 60_000, "1", "v");
        Findings.install(log);
    }

    @AfterEach
    void off() {
        BrokerOffsets.fix = false;
        Rewinds.reset();
        Findings.install(null);
    }

    @Test
    void theFixMovesAnOffsetPastTheEndToTheEndWhereA493BrokerMovesItToZero() throws Exception {
        BrokerOffsets.fix = true;
        Result r = new Result(Status.OFFSET_OVERFLOW_BADLY, 0, 0, 25);
        BrokerOffsets.moved("orders", "Pay", 0, 1025, r);
        assertEquals(25, r.next);
        log.flush();
        assertTrue(FindingsWritten.in(dir).contains(OffsetsFeature.OVERFLOW_FIXED), FindingsWritten.in(dir));
    }

    @Test
    void withoutTheSwitchTheBrokersAnswerIsLeftAsItIs() throws Exception {
        Result r = new Result(Status.OFFSET_OVERFLOW_BADLY, 0, 0, 25);
        BrokerOffsets.moved("orders", "Pay", 0, 1025, r);
        assertEquals(0, r.next);
    }

    @Test
    void everyOtherAnswerIsLeftAsItIsWithTheSwitchOn() throws Exception {
        BrokerOffsets.fix = true;
        Result newer = new Result(Status.OFFSET_OVERFLOW_BADLY, 25, 0, 25); // 4.9.4+: already at the end
        BrokerOffsets.moved("orders", "Pay", 0, 1025, newer);
        assertEquals(25, newer.next);
        Result empty = new Result(Status.NO_MESSAGE_IN_QUEUE, 0, 0, 0);
        BrokerOffsets.moved("orders", "Pay", 1, 40, empty);
        assertEquals(0, empty.next);
        Result found = new Result(Status.FOUND, 64, 0, 100);
        BrokerOffsets.moved("orders", "Pay", 2, 32, found);
        assertEquals(64, found.next);
        log.flush();
        assertFalse(FindingsWritten.in(dir).contains(OffsetsFeature.OVERFLOW_FIXED), FindingsWritten.in(dir));
    }
}
