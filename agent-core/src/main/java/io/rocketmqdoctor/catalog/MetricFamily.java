package io.rocketmqdoctor.catalog;


/**
 * A metric family as the catalogue declares it: the name the recorder or counter is created with (the tag in the
 * histogram log and the JMX name), its kind, its labels and its meaning; the Prometheus name follows from those.
 */
public final class MetricFamily {
    public enum Kind {
        /** An HdrHistogram recorder of nanoseconds; Prometheus {@code _seconds}. */
        LATENCY,
        /** An HdrHistogram recorder of bytes (name ends in {@code _bytes}). */
        SIZE,
        /** A monotonic counter; Prometheus {@code _total}. */
        COUNTER
    }

    public final String name;
    public final Kind kind;
    public final String labels;
    public final String meaning;

    private MetricFamily(String name, Kind kind, String labels, String meaning) {
        this.name = name;
        this.kind = kind;
        this.labels = labels;
        this.meaning = meaning;
    }

    /** {@code labels} as written for operators, e.g. "role, mode, request[, peer]" ("" when none). */
    public static MetricFamily of(String name, Kind kind, String labels, String meaning) {
        if (kind == Kind.SIZE && !name.endsWith("_bytes")) throw new IllegalArgumentException(name + ": a size histogram's name ends in _bytes");
        return new MetricFamily(name, kind, labels, meaning);
    }

    /** Every exported family's name starts with it. */
    public static final String PREFIX = "rocketmq_doctor_";

    /** remoting.client becomes remoting_client. */
    public static String metricName(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** remoting.client becomes rocketmq_doctor_remoting_client_seconds, by the exporter's own naming rule. */
    public String prometheusName() {
        String base = PREFIX + metricName(name);
        switch (kind) {
            case LATENCY: return base + "_seconds";
            case COUNTER: return base + "_total";
            default: return base;
        }
    }
}
