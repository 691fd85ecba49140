package io.rocketmqdoctor.advices.stall;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Direct reclaim during a stall: the allocstall* and pgscan_direct* counters summed, over the stall. */
class VmStatTest {
    @TempDir
    Path dir;

    @Test
    void deltaOfTheDirectReclaimCounters() throws Exception {
        Path f = dir.resolve("vmstat");
        Files.writeString(f, "nr_free_pages 100\nallocstall_normal 5\nallocstall_movable 1\npgscan_direct 1000\npgscan_kswapd 9\n"
                + "pgsteal_direct 800\ncompact_stall 2\n");
        Map<String, Long> before = VmStat.read(f.toString());
        assertEquals(5, before.size(), before.toString());
        Files.writeString(f, "nr_free_pages 1\nallocstall_normal 25\nallocstall_movable 3\npgscan_direct 2001000\npgscan_kswapd 99\n"
                + "pgsteal_direct 1800800\ncompact_stall 2\n");
        Map<String, Long> d = VmStat.delta(before, VmStat.read(f.toString()));
        assertEquals(22L, d.get("allocstall"));
        assertEquals(2_000_000L, d.get("pgscan_direct"));
        assertEquals(1_800_000L, d.get("pgsteal_direct"));
        assertEquals(0L, d.get("compact_stall"));
        assertNull(VmStat.read(dir.resolve("missing").toString()));
        assertNull(VmStat.delta(null, Collections.emptyMap()));
    }

    @Test
    void pausesCoverAStallOnlyWhereTheyOverlapIt() {
        GcPauses.Pause a = new GcPauses.Pause("G1 Young Generation", "G1 Evacuation Pause", 1000, 1300);
        GcPauses.Pause b = new GcPauses.Pause("G1 Old Generation", "Allocation Failure", 1900, 2500);
        assertEquals(300 + 100, GcPauses.coveredMillis(java.util.Arrays.asList(a, b), 900, 2000));
        assertEquals(true, GcPauses.isConcurrent("ZGC Cycles"));
        assertEquals(false, GcPauses.isConcurrent("ZGC Pauses"));
    }
}
