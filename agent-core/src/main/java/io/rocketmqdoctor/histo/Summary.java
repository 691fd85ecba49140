package io.rocketmqdoctor.histo;

import java.util.List;
import java.util.Locale;

/** The table printed at exit: every recorder's totals since start, in milliseconds. */
public final class Summary {
    private Summary() {}

    public static String table(List<LatencyRecorder> recorders) {
        int w = 40;
        for (LatencyRecorder r : recorders) w = Math.max(w, label(r).length());
        StringBuilder sb = new StringBuilder();
        String fmt = "%-" + w + "s %10s %9s %9s %9s %9s %9s%n";
        sb.append(String.format(Locale.ROOT, fmt, "histogram (ms)", "count", "p50", "p90", "p99", "p99.9", "max"));
        for (LatencyRecorder r : recorders) {
            Stats s = r.total();
            if (s.count == 0) continue;
            sb.append(String.format(Locale.ROOT, "%-" + w + "s %10d %9.3f %9.3f %9.3f %9.3f %9.3f%n", label(r), s.count,
                    Stats.ms(s.p50), Stats.ms(s.p90), Stats.ms(s.p99), Stats.ms(s.p999), Stats.ms(s.max)));
        }
        return sb.toString();
    }

    /** The key, and [MB] for a size histogram (its values are bytes / 1e6 where the others are ms). */
    static String label(LatencyRecorder r) {
        return r.isBytes() ? r.key() + " [MB]" : r.key();
    }
}
