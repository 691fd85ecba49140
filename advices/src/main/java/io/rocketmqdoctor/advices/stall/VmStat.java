package io.rocketmqdoctor.advices.stall;

import io.rocketmqdoctor.base.ProcFiles;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel's direct-reclaim counters from /proc/vmstat (incident 3: sar's pgscand/s in the millions while
 * the GC log was clean): allocstall*, pgscan_direct*, pgsteal_direct*, compact_stall. Null when unreadable.
 */
public final class VmStat {
    private VmStat() {}

    public static Map<String, Long> read(String path) {
        String text = ProcFiles.read(path);
        if (text == null) return null;
        Map<String, Long> m = new LinkedHashMap<String, Long>();
        try {
            for (String line : text.split("\n")) {
                if (!(line.startsWith("allocstall") || line.startsWith("pgscan_direct") || line.startsWith("pgsteal_direct")
                        || line.startsWith("compact_stall"))) continue;
                int sp = line.indexOf(' ');
                if (sp > 0) m.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1).trim()));
            }
            return m;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** after - before, per counter; the sum of the allocstall* and pgscan_direct* deltas under "allocstall" and "pgscan_direct". */
    public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new LinkedHashMap<String, Long>();
        if (before == null || after == null) return null;
        long stalls = 0;
        long scans = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            Long b = before.get(e.getKey());
            long v = e.getValue() - (b == null ? 0 : b);
            if (e.getKey().startsWith("allocstall")) stalls += v;
            else if (e.getKey().startsWith("pgscan_direct")) scans += v;
            else d.put(e.getKey(), v);
        }
        d.put("allocstall", stalls);
        d.put("pgscan_direct", scans);
        return d;
    }
}
