package io.rocketmqdoctor.advices.store;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.advices.stall.GcPauses;
import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.Methods;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;


/**
 * Switch {@code store}: the broker's put latency (incident 3), whole and inside the commit-log lock, and its
 * flow-control answers. Puts are timed at DefaultMessageStore: putMessage/putMessages up to 4.6.x, and
 * asyncPutMessage/asyncPutMessages from 4.7.0 (putMessage only waits on those there, so it is not timed twice).
 * MessageExtBrokerInner moved from org.apache.rocketmq.store to org.apache.rocketmq.common.message in 5.0.
 */
public final class StoreFeature implements Feature {
    public static final String SLOW_PUT = "store.slow-put";
    public static final String PUT_HISTOGRAM = "store.put";
    public static final String PUT_LOCK_HISTOGRAM = "store.put.lock";
    public static final String FLOW_CONTROL = "store.flow_control";

    static final String STORE = "org.apache.rocketmq.store.DefaultMessageStore";
    static final String COMMAND = "org.apache.rocketmq.remoting.protocol.RemotingCommand";
    static final String[] LOCKS = {
            "org.apache.rocketmq.store.PutMessageSpinLock",
            "org.apache.rocketmq.store.PutMessageReentrantLock",
            "org.apache.rocketmq.store.lock.AdaptiveBackOffSpinLockImpl"};
    /** AdaptiveBackOffSpinLockImpl appeared in 5.3.2 (docs/releases.md shows it). */
    private static final VersionRange[] LOCK_RANGES = {VersionRange.KNOWN, VersionRange.KNOWN, VersionRange.of("5.3.2", "5.6.0")};
    private static final VersionRange SYNC_PUT = VersionRange.of("4.3.0", "4.7.0");
    private static final VersionRange ASYNC_PUT = VersionRange.of("4.7.0", "5.6.0");

    @Override
    public String name() { return "store"; }

    @Override
    public String description() {
        return "broker put latency (whole and inside the commit-log lock), slow puts with GC overlap, flow-control answers";
    }

    @Override
    public boolean hasFix() { return false; }

    @Override
    public List<ConfigOption> options() {
        return Collections.singletonList(ConfigOption.integer("store.slow-put.ms", 500, 0, 3_600_000,
                "a put this long or longer is the finding store.slow-put (the broker's own warning is at 500)"));
    }

    /** A slow put's finding names the message's topic and size. */
    private static TypeInstrumentation.Member[] messageReads() {
        String message = "org.apache.rocketmq.common.message.Message";
        return new TypeInstrumentation.Member[]{TypeInstrumentation.Member.method(message, "getTopic", 0),
                TypeInstrumentation.Member.method(message, "getBody", 0)};
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        TypeInstrumentation sync = TypeInstrumentation.of(STORE, SYNC_PUT).reads(messageReads())
                .advise("putMessage(MessageExtBrokerInner)", oneMessage("putMessage"), StoreAdvice.Put.class)
                .advise("putMessages(MessageExtBatch)", batch("putMessages"), StoreAdvice.Put.class);
        TypeInstrumentation async = TypeInstrumentation.of(STORE, ASYNC_PUT).reads(messageReads())
                .advise("asyncPutMessage(MessageExtBrokerInner)", oneMessage("asyncPutMessage"), StoreAdvice.Put.class)
                .advise("asyncPutMessages(MessageExtBatch)", batch("asyncPutMessages"), StoreAdvice.Put.class);
        TypeInstrumentation remark = TypeInstrumentation.of(COMMAND, VersionRange.KNOWN)
                .advise("setRemark(String)", Methods.named("setRemark").args(String.class), StoreAdvice.Remark.class);
        List<TypeInstrumentation> l = new ArrayList<TypeInstrumentation>(Arrays.asList(sync, async, remark));
        for (int i = 0; i < LOCKS.length; i++) {
            l.add(TypeInstrumentation.of(LOCKS[i], LOCK_RANGES[i])
                    .advise("lock()", Methods.named("lock").args(0), StoreAdvice.Locked.class)
                    .advise("unlock()", Methods.named("unlock").args(0), StoreAdvice.Unlocking.class));
        }
        return l;
    }

    private static Methods oneMessage(String name) {
        return Methods.named(name).args(1).arg(0, "org.apache.rocketmq.store.MessageExtBrokerInner",
                "org.apache.rocketmq.common.message.MessageExtBrokerInner");
    }

    private static Methods batch(String name) {
        return Methods.named(name).args(1).arg(0, "org.apache.rocketmq.common.message.MessageExtBatch");
    }

    @Override
    public List<FindingCode> findings() {
        return Collections.singletonList(
                FindingCode.of(SLOW_PUT, Severity.WARN, "a broker put took store.slow-put.ms or longer; the evidence says how long in the lock and whether a GC overlapped",
                        "not GC: the host (stall.non-gc-pause, os.memory-settings); GC: the heap", "any broker"));
    }

    @Override
    public List<MetricFamily> metrics() {
        return Arrays.asList(
                MetricFamily.of(PUT_HISTOGRAM, MetricFamily.Kind.LATENCY, "", "a broker's message put, to the future's completion from 4.7.0"),
                MetricFamily.of(PUT_LOCK_HISTOGRAM, MetricFamily.Kind.LATENCY, "", "the time a put holds the commit log's put lock"),
                MetricFamily.of(FLOW_CONTROL, MetricFamily.Kind.COUNTER, "reason", "broker flow-control answers (in a client: received)"));
    }

    @Override
    public void start(FeatureContext context) {
        StoreTimes.slowNanos = context.integer("store.slow-put.ms") * 1_000_000L;
        GcPauses.start();
        context.everyInterval(new Runnable() {
            @Override
            public void run() { SlowPuts.report(); }
        });
        context.onStop(new Runnable() {
            @Override
            public void run() {
                GcPauses.stop();
                SlowPuts.reset();
            }
        });
    }
}
