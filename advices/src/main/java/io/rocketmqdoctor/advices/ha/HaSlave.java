package io.rocketmqdoctor.advices.ha;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;
import io.rocketmqdoctor.install.Installer;

/**
 * The slave side of incident 4. Up to 4.5.1, HAService.HAClient resets lastWriteTimestamp on every read from the
 * master, and isTimeToReportOffset() compares against it; the master heartbeats every haSendHeartbeatInterval too,
 * so the slave never reports its offset and the master expires the link after haHousekeepingInterval (20 s).
 * Fixed in 4.5.2; 5.x keeps read and write timestamps apart. On 5.0.0-5.5.x a slave given haMasterAddress in its
 * config never connects: the address is applied before DefaultHAService creates its client.
 * One HA client per broker JVM, so the state is static; only the HA client thread writes it.
 */
public final class HaSlave {
    static final LatencyRecorder REPORT_INTERVAL = Histograms.get(HaFeature.REPORT_INTERVAL_HISTOGRAM);

    static volatile boolean fix;
    static volatile long neverConnectsMillis = 60_000;

    private static volatile Object client;
    private static volatile long heartbeatMillis = -1;
    private static volatile long housekeepingMillis = -1;
    private static volatile String configuredMaster;
    private static volatile boolean fiveX;
    /** Masters have an HA client too (4.x always creates one); only a SLAVE's is judged. */
    private static volatile boolean slave = true;

    private static volatile long connectedAt;
    private static volatile long lastReportAt;
    private static volatile long reports;
    private static volatile long unconnectedSince;
    private static volatile boolean saidFixActive;
    private static volatile boolean saidAlreadyFixed;

    /** Detach: the next attach learns the slave afresh. */
    static void reset() {
        client = null;
        heartbeatMillis = -1;
        housekeepingMillis = -1;
        configuredMaster = null;
        fiveX = false;
        slave = true;
        connectedAt = 0;
        lastReportAt = 0;
        reports = 0;
        unconnectedSince = 0;
        saidFixActive = false;
        saidAlreadyFixed = false;
    }

    private HaSlave() {}

    public static void connectAttempt(Object haClient, boolean connected) {
        if (connected && connectedAt != 0) return;
        long now = System.currentTimeMillis();
        if (client != haClient) learn(haClient);
        if (!slave) return;
        if (connected) {
            connectedAt = now;
            lastReportAt = 0;
            reports = 0;
            unconnectedSince = 0;
            return;
        }
        if (unconnectedSince == 0) {
            unconnectedSince = now;
        } else if (now - unconnectedSince > neverConnectsMillis) {
            neverConnects(now - unconnectedSince);
        }
    }

    public static void closing() {
        long at = connectedAt;
        if (at == 0) return;
        long now = System.currentTimeMillis();
        long silent = now - Math.max(at, lastReportAt);
        // The master expires a link it has not read from for haHousekeepingInterval; a close close to that, with
        // no report since, is the master giving up on this slave.
        if (housekeepingMillis > 0 && silent >= housekeepingMillis * 9 / 10) notReporting(now - at, silent, "closed");
        connectedAt = 0;
        unconnectedSince = now;
    }

    public static void reported() {
        long now = System.currentTimeMillis();
        long last = lastReportAt;
        if (last != 0) REPORT_INTERVAL.record((now - last) * 1_000_000L);
        lastReportAt = now;
        reports++;
    }

    public static boolean timeToReport(boolean asTheReleaseDecides) {
        if (!fix || heartbeatMillis <= 0 || connectedAt == 0) return asTheReleaseDecides;
        if (!saidFixActive) {
            saidFixActive = true;
            AgentLog.info("ha: rocketmq.doctor.ha.fix=true: this slave reports its offset every haSendHeartbeatInterval ("
                    + heartbeatMillis + " ms) from its last report, not its last read (the 4.5.2 fix)");
        }
        return System.currentTimeMillis() - Math.max(connectedAt, lastReportAt) > heartbeatMillis;
    }

    public static void alreadyFixed() {
        if (!fix || saidAlreadyFixed) return;
        saidAlreadyFixed = true;
        AgentLog.info("ha: rocketmq.doctor.ha.fix=true does nothing on this release: it decides when to report from its"
                + " last report already (fixed in 4.5.2)");
    }

    /** On the agent's thread: a link up for longer than the housekeeping interval without a report. */
    static void check() {
        long at = connectedAt;
        if (at == 0 || housekeepingMillis <= 0) return;
        long now = System.currentTimeMillis();
        long silent = now - Math.max(at, lastReportAt);
        if (silent > housekeepingMillis) notReporting(now - at, silent, "connected");
    }

    private static void learn(Object haClient) {
        client = haClient;
        try {
            fiveX = !haClient.getClass().getName().endsWith("$HAClient");
            Object store = fiveX ? Reflect.field(haClient, "defaultMessageStore")
                    : Reflect.field(Reflect.field(haClient, "this$0"), "defaultMessageStore");
            Object cfg = Reflect.call(store, "getMessageStoreConfig");
            slave = "SLAVE".equals(String.valueOf(Reflect.call(cfg, "getBrokerRole")));
            heartbeatMillis = ((Number) Reflect.call(cfg, "getHaSendHeartbeatInterval")).longValue();
            housekeepingMillis = ((Number) Reflect.call(cfg, "getHaHousekeepingInterval")).longValue();
            try {
                configuredMaster = (String) Reflect.call(cfg, "getHaMasterAddress");
            } catch (NoSuchMethodException e) {
                configuredMaster = null;
            }
        } catch (Exception e) {
            slave = false; // a role it cannot read is judged as no slave's: no finding on a guess
            AgentLog.info("ha: could not read this broker's HA settings (" + e + "); its HA client is not judged");
        }
    }

    private static String release() {
        Object c = client;
        String v = c == null ? null : Installer.versionOf(c.getClass().getClassLoader(), fiveX ? HaFeature.CLIENT_5 : HaFeature.CLIENT_4);
        return v == null ? "release unknown" : "RocketMQ " + v;
    }

    private static String masterAddress() {
        try {
            Object ref = Reflect.field(client, fiveX ? "masterHaAddress" : "masterAddress");
            Object v = ref instanceof java.util.concurrent.atomic.AtomicReference ? ((java.util.concurrent.atomic.AtomicReference<?>) ref).get() : ref;
            return v == null ? null : v.toString();
        } catch (Exception e) {
            return null;
        }
    }

    private static void notReporting(long connectedMillis, long silentMillis, String state) {
        Findings.report(Finding.of("ha", HaFeature.SLAVE_NOT_REPORTING, Severity.ERROR, "not-reporting",
                        "this slave (" + release() + ") was connected to its master " + masterAddress() + " for " + connectedMillis
                                + " ms and reading, but reported no offset for " + silentMillis + " ms (the master expires a link after"
                                + " haHousekeepingInterval " + housekeepingMillis + " ms); up to 4.5.1 the slave resets its"
                                + " report timer on every read, and the master's heartbeat every haSendHeartbeatInterval ("
                                + heartbeatMillis + " ms) keeps it from ever reporting: the link is dropped and re-made, and"
                                + " SYNC_MASTER sends wait for it",
                        fix ? "the fix is on but did not help: check haSendHeartbeatInterval/haHousekeepingInterval on both brokers"
                                : "set rocketmq.doctor.ha.fix=true on this slave, or upgrade the brokers to 4.5.2 or later; meanwhile"
                                + " keep haSendHeartbeatInterval well below haHousekeepingInterval")
                .with("master", masterAddress()).with("connectedMs", connectedMillis).with("silentMs", silentMillis)
                .with("reportsSinceConnect", reports).with("state", state).with("slaveRelease", release())
                .with("haSendHeartbeatInterval", heartbeatMillis).with("haHousekeepingInterval", housekeepingMillis));
    }

    private static void neverConnects(long millis) {
        String master = masterAddress();
        boolean configured = configuredMaster != null && !configuredMaster.isEmpty();
        String cause = master == null && configured && fiveX
                ? "haMasterAddress=" + configuredMaster + " is set in the config, but on 5.0.0-5.5.x it is applied before"
                + " DefaultHAService creates its HA client, so the client has no address ('HAClient connect to master null failed')"
                : master == null ? "the slave has no master HA address: none configured and none learnt from the name server"
                : "the master's HA port " + master + " does not accept connections (haListenPort, firewall, master down)";
        Findings.report(Finding.of("ha", HaFeature.SLAVE_NEVER_CONNECTS, Severity.ERROR, "never-connects",
                        "this slave (" + release() + ") has had no connection to its master for " + millis + " ms: " + cause,
                        master == null && configured && fiveX
                                ? "remove haMasterAddress from the slave's config and let it learn the master from the name server"
                                : "check the master's haListenPort and that the slave can reach it")
                .with("masterAddress", master).with("configuredHaMasterAddress", configuredMaster).with("unconnectedMs", millis));
    }
}
