package io.rocketmqdoctor.advices.os;

import io.rocketmqdoctor.base.Output;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.FindingsLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The os check against prepared /proc-like trees: a good host, incident 3's host, and files that cannot be read. */
class MemorySettingsTest {
    @TempDir
    Path dir;

    @AfterEach
    void noFindings() {
        Findings.install(null);
    }

    static Map<String, String> goodVm() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("min_free_kbytes", "524288");
        m.put("zone_reclaim_mode", "0");
        m.put("swappiness", "1");
        m.put("max_map_count", "655360");
        m.put("overcommit_memory", "1");
        m.put("dirty_background_ratio", "50");
        m.put("dirty_ratio", "50");
        return m;
    }

    Path host(String name, Map<String, String> vm, String thp, int numaNodes, long memKb) throws Exception {
        Path root = dir.resolve(name);
        Path sysvm = Files.createDirectories(root.resolve("proc/sys/vm"));
        for (Map.Entry<String, String> e : vm.entrySet()) Files.writeString(sysvm.resolve(e.getKey()), e.getValue() + "\n");
        Files.writeString(root.resolve("proc/meminfo"), "MemTotal:       " + memKb + " kB\nMemFree:        1000 kB\n");
        Path mm = Files.createDirectories(root.resolve("sys/kernel/mm/transparent_hugepage"));
        Files.writeString(mm.resolve("enabled"), thp + "\n");
        for (int i = 0; i < numaNodes; i++) Files.createDirectories(root.resolve("sys/devices/system/node/node" + i));
        Files.createDirectories(root.resolve("sys/devices/system/node/possible_not_a_node"));
        return root;
    }

    static long differing(List<MemorySettings.Setting> l) {
        return l.stream().filter(s -> s.readable() && !s.ok).count();
    }

    @Test
    void aGoodHostHasNothingToChangeAndTheFeatureIsSilent() throws Exception {
        Path root = host("good", goodVm(), "always madvise [never]", 1, 64L * 1024 * 1024);
        List<MemorySettings.Setting> l = MemorySettings.check(root.toString());
        assertEquals(9, l.size());
        assertTrue(l.stream().allMatch(s -> s.readable() && s.ok), l.toString());

        Path out = dir.resolve("out-good");
        Output output = new Output(out.toString());
        Findings.install(new FindingsLog(output, 60_000, "1", "v"));
        OsFeature.root = root.toString();
        resetChecked();
        OsFeature.brokerStarted();
        assertFalse(output.file("findings.jsonl").exists(), "silent when all is well");
    }

    @Test
    void incidentThreesHostIsOneFindingListingEachValueWithItsRecommendation() throws Exception {
        Map<String, String> vm = goodVm();
        vm.put("min_free_kbytes", "90112");   // 88 MB on a 64 GB host
        vm.put("zone_reclaim_mode", "1");
        vm.put("swappiness", "60");
        vm.put("max_map_count", "65530");
        Path root = host("bad", vm, "[always] madvise never", 2, 64L * 1024 * 1024);
        List<MemorySettings.Setting> l = MemorySettings.check(root.toString());
        assertEquals(6, differing(l), l.toString());
        MemorySettings.Setting minFree = l.get(0);
        assertEquals("vm.min_free_kbytes", minFree.name);
        assertEquals(">= 524288", minFree.recommended, "RAM/128 on 64 GB: 512 MB");
        assertTrue(minFree.toString().contains("recommended >= 524288"), minFree.toString());

        Path out = dir.resolve("out-bad");
        Output output = new Output(out.toString());
        Findings.install(new FindingsLog(output, 60_000, "1", "v"));
        OsFeature.root = root.toString();
        resetChecked();
        OsFeature.brokerStarted();
        OsFeature.brokerStarted(); // once per JVM
        Findings.log().flush();
        List<String> lines = Files.readAllLines(output.file("findings.jsonl").toPath());
        assertEquals(1, lines.size(), lines.toString());
        String f = lines.get(0);
        assertTrue(f.contains("\"code\":\"os.memory-settings\""), f);
        for (String s : new String[]{"vm.min_free_kbytes = 90112, recommended >= 524288", "vm.zone_reclaim_mode = 1, recommended 0",
                "vm.swappiness = 60, recommended <= 1", "vm.max_map_count = 65530, recommended >= 655360",
                "transparent_hugepage = always", "numa_nodes = 2"}) {
            assertTrue(f.contains(s), s + " in " + f);
        }
        assertFalse(f.contains("dirty_ratio"), "values as recommended are not listed: " + f);

        assertEquals(1, MemorySettings.report(new String[]{"--root", root.toString()}), "check exits 1 when a setting differs");
    }

    @Test
    void unreadableFilesAreUnreadableNotErrors() throws Exception {
        Map<String, String> vm = goodVm();
        vm.remove("swappiness");                        // missing
        vm.put("max_map_count", "lots");                // not a number
        Path root = host("odd", vm, "no brackets here", 0, 1024);
        Files.createDirectories(root.resolve("proc/sys/vm/min_free_kbytes.d"));
        Files.delete(root.resolve("proc/sys/vm/min_free_kbytes"));
        Files.createDirectories(root.resolve("proc/sys/vm/min_free_kbytes")); // a directory cannot be read as a file
        List<MemorySettings.Setting> l = MemorySettings.check(root.toString());
        Map<String, String> values = new LinkedHashMap<>();
        for (MemorySettings.Setting s : l) values.put(s.name, s.value);
        assertNull(values.get("vm.min_free_kbytes"));
        assertNull(values.get("vm.swappiness"));
        assertNull(values.get("vm.max_map_count"));
        assertNull(values.get("transparent_hugepage"));
        assertNull(values.get("numa_nodes"));
        assertEquals(0, differing(l), "nothing unreadable is reported as wrong: " + l);
        assertEquals(0, MemorySettings.report(new String[]{"--root", dir.resolve("nowhere").toString()}));
    }

    private static void resetChecked() throws Exception {
        java.lang.reflect.Field f = OsFeature.class.getDeclaredField("CHECKED");
        f.setAccessible(true);
        ((java.util.concurrent.atomic.AtomicBoolean) f.get(null)).set(false);
    }
}
