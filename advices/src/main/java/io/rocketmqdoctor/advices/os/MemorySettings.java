package io.rocketmqdoctor.advices.os;

import io.rocketmqdoctor.base.ProcFiles;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's memory settings against the values that ended incident 3 (brokers stalled for minutes by direct
 * reclaim; min_free_kbytes 88 MB on a 64 GB host, reset by a reboot) and RocketMQ's own bin/os.sh.
 * Read under a root directory ("/" on a host) so tests can prepare their own tree. A file that cannot be
 * read or parsed is reported as unreadable, never as an error.
 */
public final class MemorySettings {
    /** One setting: its value, whether it is as recommended, and why it matters. */
    public static final class Setting {
        public final String name;
        public final String value;
        public final String recommended;
        public final boolean ok;
        public final String why;

        Setting(String name, String value, String recommended, boolean ok, String why) {
            this.name = name;
            this.value = value;
            this.recommended = recommended;
            this.ok = ok;
            this.why = why;
        }

        public boolean readable() { return value != null; }

        @Override
        public String toString() {
            return name + " = " + (value == null ? "(unreadable)" : value) + (ok || value == null ? "" : ", recommended " + recommended + ": " + why);
        }
    }

    private static final Pattern MEM_TOTAL = Pattern.compile("(?m)^MemTotal:\\s+(\\d+)\\s*kB");
    private static final Pattern BRACKETED = Pattern.compile("\\[(\\w+)]");
    private static final Pattern NODE = Pattern.compile("node\\d+");

    private MemorySettings() {}

    public static List<Setting> check(String root) {
        List<Setting> l = new ArrayList<Setting>();
        Long memKb = memTotalKb(root);
        long minFree = memKb == null ? 524288 : Math.max(65536, Math.min(1048576, memKb / 128));
        l.add(atLeast(root, "min_free_kbytes", minFree,
                "too little free memory kept: allocations fall into direct reclaim and the whole JVM stalls"
                        + " (incident 3: 88 MB on a 64 GB host); about RAM/128, 512 MB to 1 GB on large hosts"));
        l.add(equal(root, "zone_reclaim_mode", 0, "non-zero reclaims a NUMA node's memory before using another node's free memory: stalls"));
        l.add(atMost(root, "swappiness", 1, "the kernel swaps the broker out instead of dropping page cache"));
        l.add(atLeast(root, "max_map_count", 655360, "every commit-log and consume-queue file is a memory mapping; running out fails mmap"));
        l.add(equal(root, "overcommit_memory", 1, "the broker maps large files; strict accounting can refuse the mapping"));
        l.add(equal(root, "dirty_background_ratio", 50, "RocketMQ flushes its own files; early background writeback competes with it (bin/os.sh)"));
        l.add(equal(root, "dirty_ratio", 50, "a low ratio blocks writers in the page cache (bin/os.sh)"));
        l.add(transparentHugePages(root));
        l.add(numaNodes(root));
        return l;
    }

    static Long memTotalKb(String root) {
        String s = read(root, "proc/meminfo");
        if (s == null) return null;
        Matcher m = MEM_TOTAL.matcher(s);
        return m.find() ? Long.valueOf(m.group(1)) : null;
    }

    private static Setting atLeast(String root, String key, long min, String why) {
        Long v = number(root, key);
        return new Setting("vm." + key, v == null ? null : String.valueOf(v), ">= " + min, v == null || v >= min, why);
    }

    private static Setting atMost(String root, String key, long max, String why) {
        Long v = number(root, key);
        return new Setting("vm." + key, v == null ? null : String.valueOf(v), "<= " + max, v == null || v <= max, why);
    }

    private static Setting equal(String root, String key, long want, String why) {
        Long v = number(root, key);
        return new Setting("vm." + key, v == null ? null : String.valueOf(v), String.valueOf(want), v == null || v == want, why);
    }

    private static Setting transparentHugePages(String root) {
        String s = read(root, "sys/kernel/mm/transparent_hugepage/enabled");
        Matcher m = s == null ? null : BRACKETED.matcher(s);
        String mode = m != null && m.find() ? m.group(1) : null;
        return new Setting("transparent_hugepage", mode, "never or madvise", mode == null || !mode.equals("always"),
                "'always' makes the kernel compact memory for huge pages in the broker's allocations: stalls");
    }

    private static Setting numaNodes(String root) {
        File dir = new File(root, "sys/devices/system/node");
        String[] names = dir.list();
        int nodes = 0;
        if (names != null) for (String n : names) if (NODE.matcher(n).matches()) nodes++;
        String v = names == null || nodes == 0 ? null : String.valueOf(nodes);
        return new Setting("numa_nodes", v, "1, or start the broker with numactl --interleave=all and zone_reclaim_mode=0",
                v == null || nodes == 1, "memory is reclaimed per node: one full node stalls the broker while others are free");
    }

    private static Long number(String root, String key) {
        String s = read(root, "proc/sys/vm/" + key);
        if (s == null) return null;
        try {
            return Long.valueOf(s.trim().split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String read(String root, String path) {
        return ProcFiles.read(new File(root, path).getPath());
    }

    /** The host check for {@code java -jar <agent jar> check [--root dir]}: one line a setting; exit 1 when any differs. */
    public static int report(String[] args) {
        String root = "/";
        for (int i = 0; i < args.length - 1; i++) if (args[i].equals("--root")) root = args[i + 1];
        List<Setting> all = check(root);
        int bad = 0;
        System.out.println("RocketMQ Doctor host check (root " + root + "): memory settings for a broker (incident 3)");
        for (Setting s : all) {
            String tag = !s.readable() ? "UNREADABLE" : s.ok ? "OK" : "CHANGE";
            if (tag.equals("CHANGE")) bad++;
            System.out.println(String.format(Locale.ROOT, "  %-10s %s", tag, s));
        }
        long readable = 0;
        for (Setting s : all) if (s.readable()) readable++;
        System.out.println(readable == 0 ? "nothing could be read under " + root
                : bad == 0 ? "all readable settings are as recommended" : bad + " setting(s) differ from the recommended values");
        return bad == 0 ? 0 : 1;
    }
}
