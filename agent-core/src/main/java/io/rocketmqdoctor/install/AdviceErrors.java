package io.rocketmqdoctor.install;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where advice that throws ends up: every advice is woven with suppress = Throwable and this handler, so the
 * application never sees the agent's exception; it is counted by feature (exported) and reported. An advice site
 * (one advice class of one feature) that keeps failing is a breaker: past the first
 * {@link #REPORTED_PER_SITE} errors only the count is kept, and at {@link #BREAKER_ERRORS} the site is handed to the
 * agent's thread, which takes that advice out of the classes it was woven into ({@link DeferredTransformer#removeTripped}):
 * a failing advice then costs nothing at all, where before every call paid for an exception.
 */
public final class AdviceErrors {
    /** Errors per site that are reported as findings; the rest are only counted. */
    static final int REPORTED_PER_SITE = 10;
    /** Errors of one site after which its advice is removed. */
    public static final int BREAKER_ERRORS = 1000;

    private static final class Site {
        final String feature;
        final String advice;
        final AtomicLong featureErrors;
        final AtomicLong errors = new AtomicLong();

        Site(String feature, String advice, AtomicLong featureErrors) {
            this.feature = feature;
            this.advice = advice;
            this.featureErrors = featureErrors;
        }
    }

    private static final ConcurrentHashMap<String, AtomicLong> COUNTS = new ConcurrentHashMap<String, AtomicLong>();
    private static final ConcurrentHashMap<String, Site> SITES = new ConcurrentHashMap<String, Site>();
    private static final ConcurrentLinkedQueue<String> TRIPPED = new ConcurrentLinkedQueue<String>();

    private AdviceErrors() {}

    /** The handler's constant for an advice class of a feature: "feature advice.Class". */
    public static String site(String feature, Class<?> advice) {
        return feature + " " + advice.getName();
    }

    /** Called from woven code with the suppressed throwable and the advice's site. Never throws. */
    public static void swallowed(Throwable t, String site) {
        try {
            Site s = SITES.get(site);
            if (s == null) s = newSite(site);
            s.featureErrors.incrementAndGet();
            long n = s.errors.incrementAndGet();
            if (n == BREAKER_ERRORS) TRIPPED.add(site);
            if (n > REPORTED_PER_SITE) return;
            StackTraceElement[] st = t.getStackTrace();
            String where = st.length > 0 ? st[0].toString() : "?";
            Findings.report(Finding.of("agent", io.rocketmqdoctor.catalog.AgentCatalog.ADVICE_ERROR, Severity.ERROR, site + t.getClass().getName(),
                    "the agent's " + s.feature + " advice threw " + t + " at " + where + "; it was swallowed and the application went on",
                    "turn the feature off with rocketmq.doctor." + s.feature + ".enabled=false and report this with the RocketMQ version")
                    .with("feature", s.feature).with("advice", s.advice).with("exception", t.toString()).with("at", where));
        } catch (Throwable ignored) {
            // the handler of last resort must never throw into the application
        }
    }

    private static Site newSite(String site) {
        int space = site.indexOf(' ');
        String feature = space < 0 ? site : site.substring(0, space);
        AtomicLong c = COUNTS.get(feature);
        if (c == null) {
            AtomicLong fresh = new AtomicLong();
            c = COUNTS.putIfAbsent(feature, fresh);
            if (c == null) c = fresh;
        }
        Site fresh = new Site(feature, space < 0 ? "" : site.substring(space + 1), c);
        Site s = SITES.putIfAbsent(site, fresh);
        return s == null ? fresh : s;
    }

    /** The agent's thread: sites that reached the breaker since the last call. */
    static List<String> takeTripped() {
        List<String> l = new ArrayList<String>();
        for (String s; (s = TRIPPED.poll()) != null; ) l.add(s);
        return l;
    }

    /** Detach: the next attach counts afresh. */
    public static void reset() {
        COUNTS.clear();
        SITES.clear();
        TRIPPED.clear();
    }

    public static Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<String, Long>();
        for (Map.Entry<String, AtomicLong> e : COUNTS.entrySet()) m.put(e.getKey(), e.getValue().get());
        return m;
    }
}
