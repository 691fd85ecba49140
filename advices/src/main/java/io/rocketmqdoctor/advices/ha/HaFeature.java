package io.rocketmqdoctor.advices.ha;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.findings.Severity;
import java.util.Collections;
import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.Methods;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;

import java.util.Arrays;
import java.util.List;

import static io.rocketmqdoctor.install.TypeInstrumentation.Member.field;
import static io.rocketmqdoctor.install.TypeInstrumentation.Member.method;

/**
 * Switch {@code ha} (incident 4): master-slave replication links that are dropped and re-made every ~20 s because
 * the slave never reports its offset (brokers up to 4.5.1), and 5.x slaves that never connect. Fix (up to 4.5.1
 * only): the slave decides when to report from its last report. 4.x: HAService, HAService$HAClient; 5.x:
 * DefaultHAService, DefaultHAClient (the autoswitch/controller mode is not watched).
 */
public final class HaFeature implements Feature {
    public static final String LINK_CHURN = "ha.link-churn";
    public static final String SLAVE_NOT_REPORTING = "ha.slave-not-reporting";
    public static final String SLAVE_NEVER_CONNECTS = "ha.slave-never-connects";
    public static final String REPORT_INTERVAL_HISTOGRAM = "ha.report_interval";
    public static final String SLAVE_LAG_HISTOGRAM = "ha.slave_lag_bytes";
    public static final String CONNECTIONS = "ha.connections";
    public static final String EXPIRED_LINKS = "ha.expired_links";

    static final String CLIENT_4 = "org.apache.rocketmq.store.ha.HAService$HAClient";
    static final String CLIENT_5 = "org.apache.rocketmq.store.ha.DefaultHAClient";
    static final String SERVICE_4 = "org.apache.rocketmq.store.ha.HAService";
    static final String SERVICE_5 = "org.apache.rocketmq.store.ha.DefaultHAService";
    static final String CONNECTION_4 = "org.apache.rocketmq.store.ha.HAConnection";
    static final String CONNECTION_5 = "org.apache.rocketmq.store.ha.DefaultHAConnection";
    static final String STORE = "org.apache.rocketmq.store.DefaultMessageStore";
    static final String CONFIG = "org.apache.rocketmq.store.config.MessageStoreConfig";
    private static final VersionRange FOUR = VersionRange.of("4.3.0", "5.0.0");
    private static final VersionRange FIVE = VersionRange.of("5.0.0", "5.6.0");

    @Override
    public String name() { return "ha"; }

    @Override
    public String description() {
        return "HA link churn (slave never reports, up to 4.5.1), slaves that never connect (5.x haMasterAddress), slave lag; fix: report by the last report";
    }

    @Override
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() {
        return Arrays.asList(
                ConfigOption.integer("ha.churn.connections", 2, 1, 10_000,
                        "more new HA connections than this from one slave within ha.churn.window make ha.link-churn"),
                ConfigOption.duration("ha.churn.window", "1m", "window for ha.churn.connections"),
                ConfigOption.duration("ha.never-connects", "60s", "a slave without a master connection this long is ha.slave-never-connects"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Arrays.asList(
                slave4(TypeInstrumentation.of(CLIENT_4, VersionRange.of("4.3.0", "4.5.2")), HaAdvice.TimeToReport.class),
                slave4(TypeInstrumentation.of(CLIENT_4, VersionRange.of("4.5.2", "5.0.0")), HaAdvice.AlreadyFixed.class),
                slave(TypeInstrumentation.of(CLIENT_5, FIVE), HaAdvice.AlreadyFixed.class)
                        .reads(field(null, "defaultMessageStore"), field(null, "masterHaAddress"))
                        .reads(settings()),
                master(TypeInstrumentation.of(SERVICE_4, FOUR)).reads(field(CONNECTION_4, "clientAddr"),
                        field(CONNECTION_4, "readSocketService"), field(CONNECTION_4 + "$ReadSocketService", "lastReadTimestamp")),
                master(TypeInstrumentation.of(SERVICE_5, FIVE)).reads(field(CONNECTION_5, "clientAddress"),
                        field(CONNECTION_5, "readSocketService"), field(CONNECTION_5 + "$ReadSocketService", "lastReadTimestamp")));
    }

    /** HaSlave and HaMaster read the broker's role and HA intervals from the store's MessageStoreConfig. */
    private static TypeInstrumentation.Member[] settings() {
        return new TypeInstrumentation.Member[] {method(STORE, "getMessageStoreConfig", 0), method(STORE, "getMaxPhyOffset", 0),
                method(CONFIG, "getBrokerRole", 0), method(CONFIG, "getHaSendHeartbeatInterval", 0),
                method(CONFIG, "getHaHousekeepingInterval", 0)};
    }

    private static TypeInstrumentation slave4(TypeInstrumentation t, Class<?> timeToReport) {
        return slave(t, timeToReport).reads(field(null, "this$0"), field(SERVICE_4, "defaultMessageStore"), field(null, "masterAddress"))
                .reads(settings());
    }

    private static TypeInstrumentation slave(TypeInstrumentation t, Class<?> timeToReport) {
        return t.advise("connectMaster()", Methods.named("connectMaster").args(0), HaAdvice.Connect.class)
                .advise("closeMaster()", Methods.named("closeMaster").args(0), HaAdvice.Close.class)
                .advise("reportSlaveMaxOffset(long)", Methods.named("reportSlaveMaxOffset").args(long.class), HaAdvice.Report.class)
                .advise("isTimeToReportOffset()", Methods.named("isTimeToReportOffset").args(0), timeToReport);
    }

    private static TypeInstrumentation master(TypeInstrumentation t) {
        return t.reads(field(null, "defaultMessageStore")).reads(settings()).advise("addConnection(HAConnection)", Methods.named("addConnection").args(1)
                        .arg(0, "org.apache.rocketmq.store.ha.HAConnection"), HaAdvice.Added.class)
                .advise("removeConnection(HAConnection)", Methods.named("removeConnection").args(1)
                        .arg(0, "org.apache.rocketmq.store.ha.HAConnection"), HaAdvice.Removed.class)
                .advise("notifyTransferSome(long)", Methods.named("notifyTransferSome").args(long.class), HaAdvice.Acked.class);
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(LINK_CHURN, Severity.ERROR, "a slave reconnected more than ha.churn.connections times in ha.churn.window: the master expires its link (incident 4)",
                        "on 4.3.0-4.5.1 slaves set ha.fix=true or upgrade; else check haHousekeepingInterval and the network", "4.3.0-4.5.1"),
                FindingCode.of(SLAVE_NOT_REPORTING, Severity.ERROR, "an idle slave does not report its offset within the master's housekeeping interval",
                        "ha.fix=true on the slave (4.3.0-4.5.1) or upgrade", "4.3.0-4.5.1"),
                FindingCode.of(SLAVE_NEVER_CONNECTS, Severity.ERROR, "a slave has had no master connection for ha.never-connects (5.x: haMasterAddress not used)",
                        "5.x: let the slave learn the master's HA address from the name server, or set it in the master's registration", "5.x"));
    }

    @Override
    public List<MetricFamily> metrics() {
        return Arrays.asList(
                MetricFamily.of(REPORT_INTERVAL_HISTOGRAM, MetricFamily.Kind.LATENCY, "", "time between a slave's offset reports"),
                MetricFamily.of(SLAVE_LAG_HISTOGRAM, MetricFamily.Kind.SIZE, "", "how far a slave is behind the master, sampled at most once a second"),
                MetricFamily.of(CONNECTIONS, MetricFamily.Kind.COUNTER, "slave", "HA connections a master accepted, by slave host"),
                MetricFamily.of(EXPIRED_LINKS, MetricFamily.Kind.COUNTER, "slave", "HA links the master dropped because the slave sent nothing"));
    }

    @Override
    public void start(FeatureContext context) {
        HaSlave.fix = context.fix();
        HaSlave.neverConnectsMillis = context.millis("ha.never-connects");
        HaMaster.churnConnections = (int) context.integer("ha.churn.connections");
        HaMaster.churnWindowMillis = context.millis("ha.churn.window");
        context.everyInterval(new Runnable() {
            @Override
            public void run() { HaSlave.check(); }
        });
        context.onStop(new Runnable() {
            @Override
            public void run() {
                HaSlave.reset();
                HaMaster.reset();
            }
        });
    }
}
