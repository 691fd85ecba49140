package io.rocketmqdoctor.advices.transactions;

import io.rocketmqdoctor.advices.Handles;
import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's side of producer clock skew: a half message's bornTimestamp (the producer's clock) against its arrival
 * (this broker's), with no extra traffic. The broker's check (TransactionalMessageServiceImpl.check) takes a half
 * message born in its future as due at once, and one born long before as due once the op queue is read, so a producer
 * whose clock is off by more than transactionTimeOut gets checks for transactions it has not ended yet, and a checker
 * that commits what it finds committed commits those twice. Only a clock ahead is told here: born - arrival only
 * understates it (transit), so one message proves it. A clock behind looks like a message held up on its way (a stalled
 * broker, a slow network); the producer tells that one from the checks it gets (born against stored, first check only).
 */
public final class ProducerClocks {
    private static final ClassValue<MethodHandle> BORN = Handles.longGetter("getBornTimestamp");

    static volatile long maxSkewMs = 6000;
    private static final Object LOCK = new Object();
    private static final Map<String, Host> hosts = new LinkedHashMap<String, Host>();

    private ProducerClocks() {}

    private static final class Host {
        final String address;
        String group;
        String topic;
        long messages;
        long maxAhead = Long.MIN_VALUE;

        Host(String address) { this.address = address; }
    }

    public static void halfArrived(Object msg) throws Throwable {
        long born = (long) BORN.get(msg.getClass()).invokeExact(msg);
        // the hot path's only work: reading the born time; a message is kept only when it proves the skew
        if (born - System.currentTimeMillis() > maxSkewMs) ahead(msg, born - System.currentTimeMillis());
    }

    private static void ahead(Object msg, long ahead) throws Exception {
        Object where = Reflect.call(msg, "getBornHost");
        String address = where instanceof InetSocketAddress ? ((InetSocketAddress) where).getAddress().getHostAddress() : String.valueOf(where);
        String group = (String) Reflect.call(msg, "getProperty", "PGROUP");
        String topic = (String) Reflect.call(msg, "getProperty", "REAL_TOPIC");
        if (topic == null) topic = String.valueOf(Reflect.call(msg, "getTopic"));
        synchronized (LOCK) {
            Host h = hosts.get(address);
            if (h == null) {
                if (hosts.size() >= 1024) return;
                h = new Host(address);
                hosts.put(address, h);
            }
            h.group = group;
            h.topic = topic;
            h.messages++;
            h.maxAhead = Math.max(h.maxAhead, ahead);
        }
    }

    /** Each interval: a finding per producer host whose clock is off by more than transactions.max-clock-skew. */
    static void report() {
        List<Host> now;
        synchronized (LOCK) {
            if (hosts.isEmpty()) return;
            now = new ArrayList<Host>(hosts.values());
            hosts.clear();
        }
        for (Host h : now) report(h, h.maxAhead);
    }

    private static void report(Host h, long ms) {
        Findings.report(Finding.of("transactions", TransactionsFeature.CLOCK_SKEW, Severity.WARN, "broker|" + h.address,
                "the producer at " + h.address + " (producer group " + h.group + ", topic " + h.topic + ") sends half messages born "
                        + "at least " + seconds(ms) + " s after they reach this broker: its clock is ahead of this broker's by more than "
                        + seconds(maxSkewMs) + " s; the broker checks a half message born in its future at once, not after "
                        + "transactionTimeOut, so this producer is asked about transactions it is still running, "
                        + "and a checker that answers COMMIT for them commits them twice (consumed twice)",
                "sync the producer host's clock (chrony/NTP) with the brokers'; until then a checker should answer UNKNOW for a "
                        + "transaction it has not finished")
                .with("producer", h.address).with("group", h.group).with("topic", h.topic)
                .with("aheadMs", ms).with("halfMessages", h.messages));
    }

    static String seconds(long ms) {
        return String.valueOf(Math.round(ms / 100.0) / 10.0);
    }

    static void reset() {
        synchronized (LOCK) {
            hosts.clear();
        }
    }
}
