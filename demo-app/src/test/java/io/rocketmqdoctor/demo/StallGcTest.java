package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.stall.StallFeature;
import io.rocketmqdoctor.demo.harness.Jvm;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The other half of the stall feature: in any JVM (no RocketMQ here), a stall that a GC pause explains is told as GC. */
class StallGcTest {
    @TempDir
    Path dir;

    @Test
    void fullGcPausesAreStallsExplainedByGc() throws Exception {
        Path out = dir.resolve("doctor");
        Process p = new ProcessBuilder(Jvm.java(), "-Xmx1g", "-Xms1g", "-XX:+UseSerialGC",
                "-javaagent:" + Jvm.agentJar() + "=activation=immediate,interval=1s,stall.threshold.ms=100,stall.resolution.ms=10,stall.grace=0,findings.interval=1s,output.dir=" + out,
                "-cp", UntouchedJvmTest.TEST_CLASSES, GcMain.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String output = Files.readString(dir.resolve("out"));
        assertEquals(0, p.exitValue(), output);
        // the fault first: three full GCs, each well over the threshold (a harness error otherwise, not the agent's)
        java.util.regex.Matcher gcs = java.util.regex.Pattern.compile("(?m)^gc (\\d+) (\\d+) (\\d+)$").matcher(output);
        List<long[]> windows = new java.util.ArrayList<>();
        while (gcs.find()) {
            assertTrue(Long.parseLong(gcs.group(1)) >= 200, "harness: a full GC shorter than twice the 100 ms threshold: " + output);
            windows.add(new long[]{Long.parseLong(gcs.group(2)), Long.parseLong(gcs.group(3))});
        }
        assertEquals(3, windows.size(), "harness: three full GCs: " + output);
        // (building the live set makes young-generation copies too, reported as such: only the full GCs are judged here)
        List<Map<String, Object>> gc = new java.util.ArrayList<>();
        for (Map<String, Object> f : AgentOutput.findings(out, StallFeature.GC_PAUSE)) if (overlaps(AgentOutput.evidence(f), windows)) gc.add(f);
        assertFalse(gc.isEmpty(), "the full GCs (" + output + ") are stalls explained by GC: " + AgentOutput.findings(out));
        for (Map<String, Object> f : gc) {
            Map<String, Object> ev = AgentOutput.evidence(f);
            assertEquals(Boolean.TRUE, ev.get("wasGc"));
            assertTrue(String.valueOf(ev.get("gcPauses")).contains("MarkSweepCompact"), ev.toString());
        }
        // a loaded machine may starve the JVM outside the GCs (a true non-GC stall); none inside a GC may be called so
        for (Map<String, Object> f : AgentOutput.findings(out, StallFeature.NON_GC_PAUSE)) {
            assertFalse(overlaps(AgentOutput.evidence(f), windows), "no GC stall is called non-GC: " + AgentOutput.findings(out));
        }
        assertTrue(AgentOutput.summaryCount(out, StallFeature.GC_PAUSE_HISTOGRAM + ";collector=MarkSweepCompact") >= 3, AgentOutput.summary(out));
    }

    /** Whether a stall finding's window overlaps one of the System.gc() calls'. */
    static boolean overlaps(Map<String, Object> ev, List<long[]> windows) {
        long start = ((Number) ev.get("startEpochMs")).longValue();
        long end = ((Number) ev.get("endEpochMs")).longValue();
        for (long[] w : windows) if (start <= w[1] && end >= w[0]) return true;
        return false;
    }
}
