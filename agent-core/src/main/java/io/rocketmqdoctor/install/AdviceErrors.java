package io.rocketmqdoctor.install;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where advice that throws ends up: every advice is woven with suppress = Throwable and this handler,
 * so the application never sees the agent's exception; it is counted by feature (exported) and reported.
 */
public final class AdviceErrors {
    private static final ConcurrentHashMap<String, AtomicLong> COUNTS = new ConcurrentHashMap<String, AtomicLong>();

    /** Errors per feature that are reported as findings; the rest are only counted. */
    static final int REPORTED_PER_FEATURE = 10;

    private AdviceErrors() {}

    /** Called from woven code with the suppressed throwable and the feature's name. Never throws. */
    public static void swallowed(Throwable t, String feature) {
        try {
            AtomicLong c = COUNTS.get(feature);
            if (c == null) {
                AtomicLong fresh = new AtomicLong();
                c = COUNTS.putIfAbsent(feature, fresh);
                if (c == null) c = fresh;
            }
            // A feature that fails on every call must not tax every call: past the first few errors only the count is
            // kept (the findings log would rate-limit the reports anyway, after the stack walk and the finding were paid).
            if (c.incrementAndGet() > REPORTED_PER_FEATURE) return;
            StackTraceElement[] st = t.getStackTrace();
            String where = st.length > 0 ? st[0].toString() : "?";
            Findings.report(Finding.of("agent", io.rocketmqdoctor.catalog.AgentCatalog.ADVICE_ERROR, Severity.ERROR, feature + t.getClass().getName(),
                    "the agent's " + feature + " advice threw " + t + " at " + where + "; it was swallowed and the application went on",
                    "turn the feature off with rocketmq.doctor." + feature + ".enabled=false and report this with the RocketMQ version")
                    .with("feature", feature).with("exception", t.toString()).with("at", where));
        } catch (Throwable ignored) {
            // the handler of last resort must never throw into the application
        }
    }

    public static Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<String, Long>();
        for (Map.Entry<String, AtomicLong> e : COUNTS.entrySet()) m.put(e.getKey(), e.getValue().get());
        return m;
    }
}
