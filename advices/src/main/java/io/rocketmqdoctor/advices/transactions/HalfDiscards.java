package io.rocketmqdoctor.advices.transactions;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.histo.Counters;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Half messages the broker gives up on after transactionCheckMax checks (15; 5 in 4.3.0): dropped (4.3.0) or moved to
 * TRANS_CHECK_MAX_TIME_TOPIC (4.5.2+), which no consumer reads; the producer's application sees the message lost.
 */
public final class HalfDiscards {
    private static final String HELP = "half messages a broker discarded after transactionCheckMax checks, by producer group and topic";
    private static final Object LOCK = new Object();
    private static final Map<String, long[]> counts = new LinkedHashMap<String, long[]>();
    private static final Map<String, String> producers = new LinkedHashMap<String, String>();

    private HalfDiscards() {}

    public static void discarded(Object msg) throws Exception {
        String group = String.valueOf(Reflect.call(msg, "getProperty", "PGROUP"));
        Object real = Reflect.call(msg, "getProperty", "REAL_TOPIC");
        String topic = real == null ? String.valueOf(Reflect.call(msg, "getTopic")) : String.valueOf(real);
        Object where = Reflect.call(msg, "getBornHost");
        String producer = where instanceof InetSocketAddress ? ((InetSocketAddress) where).getAddress().getHostAddress() : String.valueOf(where);
        Counters.get(TransactionsFeature.HALF_DISCARDED_COUNTER, HELP, "group", group, "topic", topic).increment();
        synchronized (LOCK) {
            String key = group + "|" + topic;
            long[] n = counts.get(key);
            if (n == null) {
                if (counts.size() >= 256) return;
                counts.put(key, n = new long[1]);
            }
            n[0]++;
            String p = producers.get(key);
            if (p == null) producers.put(key, producer);
            else if (!java.util.Arrays.asList(p.split(", ")).contains(producer) && p.length() < 200) producers.put(key, p + ", " + producer);
        }
    }

    static void report() {
        List<Map.Entry<String, long[]>> now;
        Map<String, String> from;
        synchronized (LOCK) {
            if (counts.isEmpty()) return;
            now = new ArrayList<Map.Entry<String, long[]>>(counts.entrySet());
            from = new LinkedHashMap<String, String>(producers);
            counts.clear();
            producers.clear();
        }
        for (Map.Entry<String, long[]> e : now) {
            int bar = e.getKey().indexOf('|');
            String group = e.getKey().substring(0, bar);
            String topic = e.getKey().substring(bar + 1);
            long n = e.getValue()[0];
            Findings.report(Finding.of("transactions", TransactionsFeature.HALF_DISCARDED, Severity.ERROR, e.getKey(),
                    "this broker gave up on " + n + " half message" + (n == 1 ? "" : "s") + " of producer group " + group + " (topic " + topic
                            + ", from " + from.get(e.getKey()) + ") after transactionCheckMax checks that got no COMMIT or ROLLBACK "
                            + "(or that outlived the store's fileReservedTime unended): they are not delivered (moved to "
                            + "TRANS_CHECK_MAX_TIME_TOPIC from 4.5.2, dropped before), so the application sees them lost",
                    "find why the producers of " + group + " answer UNKNOW (or nothing) to checks: a checker that cannot find its "
                            + "transactions (another application on the same producer group, state kept in memory and lost at a restart), "
                            + "producers that are down; see transactions.unexpected-check and transactions.clock-skew")
                    .with("group", group).with("topic", topic).with("messages", n).with("producers", from.get(e.getKey())));
        }
    }

    static void reset() {
        synchronized (LOCK) {
            counts.clear();
            producers.clear();
        }
    }
}
