package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;
import io.rocketmqdoctor.base.Output;
import io.rocketmqdoctor.histo.Swapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An async request is timed from the call to its callback, once, and only when the agent noted it. */
class AsyncCallsTest {
    @TempDir
    static Path dir;

    static long count(LatencyRecorder r) {
        new Swapper(new Output(dir.toString()), System.currentTimeMillis()).swapAll();
        return r.total().count;
    }

    @Test
    void timedOnceFromTheCallToTheCallback() {
        LatencyRecorder r = Histograms.get("test.async", "case", "once");
        AsyncCalls.sent(1_000_001, r, 5_000_000L);
        AsyncCalls.finished(1_000_001, 25_000_000L);   // the answer, 20 ms later
        AsyncCalls.finished(1_000_001, 90_000_000L);   // a late timeout scan of the same request: not again
        assertEquals(1, count(r));
        assertEquals(20.0, r.total().mean / 1e6, 0.2);
    }

    @Test
    void aRequestTheAgentDidNotNoteIsNotTimed() {
        LatencyRecorder r = Histograms.get("test.async", "case", "unknown");
        AsyncCalls.sent(2_000_001, r, 0L);
        AsyncCalls.finished(2_000_001 + AsyncCalls.SIZE, 10_000_000L); // same slot, another request (a 5.x sync one)
        assertEquals(0, count(r));
        AsyncCalls.finished(2_000_001, 10_000_000L);
        assertEquals(1, count(r));
    }

    @Test
    void aCallThatThrewIsNotTimedAgainByItsCallback() {
        LatencyRecorder r = Histograms.get("test.async", "case", "threw");
        AsyncCalls.sent(3_000_001, r, 0L);
        AsyncCalls.forget(3_000_001);
        AsyncCalls.finished(3_000_001, 10_000_000L);
        assertEquals(0, count(r));
    }
}
