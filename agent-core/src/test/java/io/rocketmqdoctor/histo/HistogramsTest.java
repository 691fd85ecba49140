package io.rocketmqdoctor.histo;

import io.rocketmqdoctor.base.Output;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistogramsTest {
    @TempDir
    Path dir;

    @org.junit.jupiter.api.AfterEach
    void forget() {
        Histograms.clear();
    }

    @Test
    void intervalsGoToAnHdrHistogramLogThatItsOwnReaderReads() throws Exception {
        LatencyRecorder r = Histograms.get("test.log", "role", "broker", "request", "SEND_MESSAGE_V2");
        Output output = new Output(dir.toString());
        Swapper swapper = new Swapper(output, System.currentTimeMillis());
        for (int i = 0; i < 1000; i++) r.record(1_000_000L);
        swapper.swapAll();
        for (int i = 0; i < 500; i++) r.record(5_000_000L);
        swapper.swapAll();
        swapper.close();

        HistogramLogReader reader = new HistogramLogReader(output.file("histograms.hlog"));
        long total = 0;
        int intervals = 0;
        for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
            if (!"test.log;role=broker;request=SEND_MESSAGE_V2".equals(h.getTag())) continue;
            total += ((org.HdrHistogram.Histogram) h).getTotalCount();
            intervals++;
        }
        assertEquals(1500, total);
        assertEquals(2, intervals);
        assertEquals(1500, r.total().count);
        assertEquals(500, r.lastInterval().count);
        assertEquals(5.0, Stats.ms(r.lastInterval().p50), 0.05);
        String table = Summary.table(Histograms.all());
        assertTrue(table.contains("test.log;role=broker;request=SEND_MESSAGE_V2") && table.contains("1500"), table);
    }

    @Test
    void valuesOutsideTheRangeAreClampedNotThrown() {
        LatencyRecorder r = Histograms.get("test.clamp");
        r.record(-5);
        r.record(Long.MAX_VALUE);
        r.swap();
        assertEquals(2, r.total().count);
        assertTrue(r.total().max >= LatencyRecorder.HIGHEST_NANOS * 0.99);
    }

    @Test
    void sameKeySameRecorderAndTheRegistryIsBounded() {
        assertSame(Histograms.get("test.same", "a", "1"), Histograms.get("test.same", "a", "1"));
        LatencyRecorder last = null;
        for (int i = 0; i < Histograms.MAX_RECORDERS + 5; i++) last = Histograms.get("test.bound", "i", String.valueOf(i));
        assertEquals("test.bound;overflow=true", last.key());
        assertTrue(Histograms.all().size() <= Histograms.MAX_RECORDERS + 1);
    }

    @Test
    void recordingAllocatesNothing() {
        LatencyRecorder r = Histograms.get("test.alloc");
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 200_000; i++) r.record(i * 1000L);
        long before = t.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000_000; i++) r.record(i * 1000L);
        long allocated = t.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 1024, "recording 1,000,000 values allocated " + allocated + " bytes");
    }
}
