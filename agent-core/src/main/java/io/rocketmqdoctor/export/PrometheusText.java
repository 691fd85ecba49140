package io.rocketmqdoctor.export;

import io.rocketmqdoctor.catalog.AgentCatalog;

import io.rocketmqdoctor.findings.FindingsLog;
import io.rocketmqdoctor.histo.Counter;
import io.rocketmqdoctor.histo.Counters;
import io.rocketmqdoctor.histo.Buckets;
import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;
import io.rocketmqdoctor.install.AdviceErrors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.rocketmqdoctor.catalog.MetricFamily.PREFIX;
import static io.rocketmqdoctor.catalog.MetricFamily.metricName;

/**
 * The Prometheus text exposition format (0.0.4). Every latency and size recorder is a Prometheus histogram with the
 * fixed buckets of {@link Buckets} (cumulative since start, as of the last interval), so that quantiles can be taken
 * across JVMs: histogram_quantile(0.99, sum by (le, request) (rate(..._bucket[5m]))). Per-JVM percentiles of the
 * last interval stay on JMX. Findings, advice errors and feature counters are counters.
 */
public final class PrometheusText {

    private PrometheusText() {}

    public static String render(FindingsLog findings) {
        StringBuilder sb = new StringBuilder(4096);
        Map<String, List<LatencyRecorder>> byName = new LinkedHashMap<String, List<LatencyRecorder>>();
        for (LatencyRecorder r : Histograms.all()) {
            // a histogram appears once it has a value: a producer exports no broker put histograms (21 series each)
            if (r.buckets().count > 0) group(byName, metricName(r.name()) + (r.isBytes() ? "" : "_seconds"), r);
        }
        for (Map.Entry<String, List<LatencyRecorder>> e : byName.entrySet()) {
            boolean bytes = e.getValue().get(0).isBytes();
            sb.append("# HELP ").append(e.getKey()).append(bytes ? " Size of " : " Latency of ").append(e.getValue().get(0).name())
              .append(bytes ? " in bytes" : " in seconds").append(" (since start).\n");
            sb.append("# TYPE ").append(e.getKey()).append(" histogram\n");
            double[] bounds = Buckets.bounds(bytes);
            for (LatencyRecorder r : e.getValue()) {
                Buckets b = r.buckets();
                String[] labels = r.labels();
                for (int i = 0; i < bounds.length; i++) {
                    sample(sb, e.getKey() + "_bucket", labels, "le", bound(bounds[i]), String.valueOf(b.cumulative[i]));
                }
                sample(sb, e.getKey() + "_bucket", labels, "le", "+Inf", String.valueOf(b.count));
                sample(sb, e.getKey() + "_sum", labels, null, null, bytes ? String.valueOf((long) b.sum) : seconds(b.sum));
                sample(sb, e.getKey() + "_count", labels, null, null, String.valueOf(b.count));
            }
        }
        counterHeader(sb, PREFIX + AgentCatalog.FINDINGS + "_total", "Findings reported, before rate limiting.");
        if (findings != null) {
            for (Map.Entry<String, Long> e : findings.counts().entrySet()) {
                String[] p = e.getKey().split("\\|", 3);
                sample(sb, PREFIX + AgentCatalog.FINDINGS + "_total", new String[]{"feature", p[0], "code", p[1], "severity", p[2]}, null, null,
                        String.valueOf(e.getValue()));
            }
        }
        counterHeader(sb, PREFIX + AgentCatalog.ADVICE_ERRORS + "_total", "Exceptions thrown inside the agent's advice, swallowed so the application never sees them.");
        for (Map.Entry<String, Long> e : AdviceErrors.counts().entrySet()) {
            sample(sb, PREFIX + AgentCatalog.ADVICE_ERRORS + "_total", new String[]{"feature", e.getKey()}, null, null, String.valueOf(e.getValue()));
        }
        Map<String, List<Counter>> counters = new LinkedHashMap<String, List<Counter>>();
        for (Counter c : Counters.all()) {
            String n = PREFIX + metricName(c.name()) + "_total";
            List<Counter> l = counters.get(n);
            if (l == null) counters.put(n, l = new ArrayList<Counter>());
            l.add(c);
        }
        for (Map.Entry<String, List<Counter>> e : counters.entrySet()) {
            counterHeader(sb, e.getKey(), e.getValue().get(0).help());
            for (Counter c : e.getValue()) sample(sb, e.getKey(), c.labels(), null, null, String.valueOf(c.get()));
        }
        return sb.toString();
    }

    private static void group(Map<String, List<LatencyRecorder>> m, String name, LatencyRecorder r) {
        String n = PREFIX + name;
        List<LatencyRecorder> l = m.get(n);
        if (l == null) m.put(n, l = new ArrayList<LatencyRecorder>());
        l.add(r);
    }

    private static void counterHeader(StringBuilder sb, String name, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
    }

    /** 0.00025, 1, 2.5, 10000000000: as short as the value allows (Prometheus compares le as numbers). */
    static String bound(double v) {
        if (v == Math.rint(v)) return String.valueOf((long) v);
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static void sample(StringBuilder sb, String name, String[] labels, String extraKey, String extraValue, String value) {
        sb.append(name);
        boolean any = labels.length > 0 || extraKey != null;
        if (any) {
            sb.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) sb.append(',');
                sb.append(labelName(labels[i])).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            if (extraKey != null) {
                if (labels.length > 0) sb.append(',');
                sb.append(extraKey).append("=\"").append(extraValue).append('"');
            }
            sb.append('}');
        }
        sb.append(' ').append(value).append('\n');
    }

    static String seconds(double nanos) {
        return String.format(Locale.ROOT, "%.9f", nanos / 1e9);
    }


    static String labelName(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
