package io.rocketmqdoctor.advices.offsets;

import io.rocketmqdoctor.base.Output;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.FindingsLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an offset that moved back is told as: its severity by what is consumed again, one finding per burst and cause. */
class RewindsTest {
    @TempDir
    Path dir;
    FindingsLog log;

    @BeforeEach
    void on() {
        log = new FindingsLog(new Output(dir.toString()), 60_000, "1", "v");
        Findings.install(log);
        Rewinds.threshold = 1000;
    }

    @AfterEach
    void off() {
        Rewinds.reset();
        Findings.install(null);
    }

    /** Two intervals: the first sees news, the second none, so the burst is told. */
    private String told() throws Exception {
        Rewinds.report();
        Rewinds.report();
        log.flush();
        return io.rocketmqdoctor.advices.FindingsWritten.in(dir).trim();
    }

    @Test
    void aCorrectionToZeroOfEveryQueueIsOneErrorCountingAllQueues() throws Exception {
        for (int q = 0; q < 4; q++) {
            Rewinds.moved("broker", "orders", "Pay", q, 1500, 0, 0, 400, Rewinds.Cause.OVERFLOW_TO_ZERO, null);
            Rewinds.moved("broker", "orders", "Pay", q, 1500, 0, 0, 400, Rewinds.Cause.OVERFLOW_TO_ZERO, null); // the pull again
        }
        String said = told();
        assertEquals(1, said.split("\n").length, said);
        assertTrue(said.contains("\"severity\":\"error\"") && said.contains("1600 messages are consumed again") && said.contains("#4219"), said);
    }

    @Test
    void aSmallLowerCommitIsAWarningAndTheCommitThatFollowsACorrectionIsNotToldAgain() throws Exception {
        Rewinds.moved("broker", "orders", "Pay", 0, 120, 100, -1, 500, Rewinds.Cause.LOWER_COMMIT, "10.0.0.5:41234");
        Rewinds.moved("broker", "late", "Pay", 1, 1500, 400, 0, 400, Rewinds.Cause.PAST_END, null);
        Rewinds.moved("broker", "late", "Pay", 1, 1500, 400, -1, 400, Rewinds.Cause.LOWER_COMMIT, "10.0.0.5:41234");
        String said = told();
        assertEquals(2, said.split("\n").length, said);
        assertTrue(said.contains("\"severity\":\"warn\"") && said.contains("20 messages are consumed again") && said.contains("from 10.0.0.5:41234"), said);
        assertTrue(said.contains("\"severity\":\"info\"") && said.contains("no message is consumed again"), said);
    }
}
