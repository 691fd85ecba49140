package io.rocketmqdoctor.advices.ha;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.histo.Counters;
import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;
import io.rocketmqdoctor.install.Installer;
import io.rocketmqdoctor.install.Version;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The master side of incident 4: new HA connections per slave host within ha.churn.window, and whether each
 * link ended by the master's housekeeping (no read from the slave for haHousekeepingInterval: "expired").
 * Slaves are told apart by host: each reconnect comes from a new port.
 */
public final class HaMaster {
    static final LatencyRecorder LAG = Histograms.get(HaFeature.SLAVE_LAG_HISTOGRAM);
    private static final String CONNECTIONS_HELP = "HA connections a master accepted, by slave host";
    private static final String EXPIRED_HELP = "HA links the master dropped because the slave sent nothing for haHousekeepingInterval";

    static volatile int churnConnections = 2;
    static volatile long churnWindowMillis = 60_000;

    private static final Map<String, ArrayDeque<Long>> CONNECTS = new HashMap<String, ArrayDeque<Long>>();
    private static final Map<String, long[]> EXPIRIES = new HashMap<String, long[]>(); // host -> {count, last silent ms}
    private static final Set<Object> ENDED = Collections.newSetFromMap(new IdentityHashMap<Object, Boolean>());
    private static volatile Method maxOffset;
    private static volatile Object maxOffsetStore;
    private static volatile long lastLagSample;

    /** Detach: the next attach counts connections and expiries afresh. */
    static synchronized void reset() {
        CONNECTS.clear();
        EXPIRIES.clear();
        ENDED.clear();
        maxOffset = null;
        maxOffsetStore = null;
        lastLagSample = 0;
    }

    private HaMaster() {}

    public static void added(Object conn) {
        String host = host(conn);
        long now = System.currentTimeMillis();
        Counters.get(HaFeature.CONNECTIONS, CONNECTIONS_HELP, "slave", host).increment();
        int inWindow;
        long[] expired;
        synchronized (HaMaster.class) {
            ArrayDeque<Long> q = CONNECTS.get(host);
            if (q == null) CONNECTS.put(host, q = new ArrayDeque<Long>());
            q.addLast(now);
            while (!q.isEmpty() && now - q.peekFirst() > churnWindowMillis) q.removeFirst();
            inWindow = q.size();
            long[] e = EXPIRIES.get(host);
            expired = e == null ? new long[2] : e.clone();
        }
        if (inWindow <= churnConnections) return;
        ClassLoader loader = conn.getClass().getClassLoader();
        String version = Installer.versionOf(loader, HaFeature.SERVICE_4);
        if (version == null) version = Installer.versionOf(loader, HaFeature.SERVICE_5);
        boolean affected = version != null && version.startsWith("4.") && Version.parse(version).compareTo(Version.of("4.5.2")) < 0;
        Findings.report(Finding.of("ha", HaFeature.LINK_CHURN, Severity.ERROR, host,
                        "slave " + host + " connected " + inWindow + " times within " + churnWindowMillis / 1000 + " s; "
                                + expired[0] + " of its links expired on this master (no offset report for " + expired[1]
                                + " ms, haHousekeepingInterval): "
                                + (affected ? "this master is " + version + "; up to 4.5.1 a slave whose master heartbeats as often"
                                + " as it should report never reports, so the link is dropped about every 20 s"
                                : "this master is " + (version == null ? "of an unknown release" : version)
                                + "; a slave up to 4.5.1 still has the report bug, otherwise the slave or the network drops the link")
                                + ", and SYNC_MASTER sends wait for it ('broker busy', FLUSH_SLAVE_TIMEOUT)",
                        "on the slave: rocketmq.doctor.ha.fix=true, or upgrade both brokers to 4.5.2 or later; meanwhile keep"
                                + " haSendHeartbeatInterval well below haHousekeepingInterval")
                .with("slave", host).with("connectionsInWindow", inWindow).with("windowMs", churnWindowMillis)
                .with("expiredLinks", expired[0]).with("lastExpiredSilentMs", expired[1]).with("masterRelease", version));
    }

    public static void removed(Object service, Object conn) throws Exception {
        synchronized (HaMaster.class) {
            if (!ENDED.add(conn)) return;          // the read and the write thread both remove it
            if (ENDED.size() > 256) ENDED.clear();
        }
        Object read = Reflect.field(conn, "readSocketService");
        long lastRead = ((Number) Reflect.field(read, "lastReadTimestamp")).longValue();
        Object cfg = Reflect.call(Reflect.field(service, "defaultMessageStore"), "getMessageStoreConfig");
        long housekeeping = ((Number) Reflect.call(cfg, "getHaHousekeepingInterval")).longValue();
        long silent = System.currentTimeMillis() - lastRead;
        if (silent < housekeeping) return;
        String host = host(conn);
        Counters.get(HaFeature.EXPIRED_LINKS, EXPIRED_HELP, "slave", host).increment();
        synchronized (HaMaster.class) {
            long[] e = EXPIRIES.get(host);
            if (e == null) EXPIRIES.put(host, e = new long[2]);
            e[0]++;
            e[1] = silent;
        }
    }

    /** Sampled at most once a second: a busy slave acknowledges every transfer, and the reflective call boxes a Long. */
    public static void acked(Object service, long slaveOffset) throws Exception {
        long now = System.currentTimeMillis();
        if (now - lastLagSample < 1000) return;
        lastLagSample = now;
        Method m = maxOffset;
        Object store = maxOffsetStore;
        if (m == null) {
            store = Reflect.field(service, "defaultMessageStore");
            m = store.getClass().getMethod("getMaxPhyOffset");
            maxOffsetStore = store;
            maxOffset = m;
        }
        long lag = ((Number) m.invoke(store)).longValue() - slaveOffset;
        LAG.record(lag < 0 ? 0 : lag);
    }

    /** "/127.0.0.1:52814" becomes 127.0.0.1. */
    static String host(Object conn) {
        String addr;
        try {
            addr = String.valueOf(Reflect.field(conn, "clientAddr"));            // 4.x
        } catch (Exception e) {
            try {
                addr = String.valueOf(Reflect.field(conn, "clientAddress"));     // 5.x
            } catch (Exception e2) {
                return "unknown";
            }
        }
        if (addr.startsWith("/")) addr = addr.substring(1);
        int colon = addr.lastIndexOf(':');
        return colon > 0 ? addr.substring(0, colon) : addr;
    }
}
