package io.rocketmqdoctor.advices.signals;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.Methods;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;


/**
 * Switch {@code signals} (incident 5): in RocketMQ name servers and brokers, the SIGHUP exposure at start-up,
 * the cause of every shutdown written before the process is gone, and with {@code signals.fix} SIGHUP ignored.
 * A JVM counts as a server from its main class (BrokerStartup, NamesrvStartup) or when it starts a controller.
 */
public final class SignalsFeature implements Feature {
    public static final String NO_NOHUP = "signals.no-nohup";
    public static final String SIGHUP_IGNORED = "signals.sighup-ignored";
    public static final String SHUTDOWN = "signals.shutdown";

    static final String BROKER = "org.apache.rocketmq.broker.BrokerController";
    static final String NAMESRV = "org.apache.rocketmq.namesrv.NamesrvController";

    @Override
    public String name() { return "signals"; }

    @Override
    public String description() {
        return "in brokers and name servers: SIGHUP exposure (no nohup), the cause of each shutdown; fix: ignore SIGHUP";
    }

    @Override
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() { return Collections.emptyList(); }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Arrays.asList(
                TypeInstrumentation.of(BROKER, VersionRange.KNOWN)
                        .advise("start()", Methods.named("start").args(0), SignalsAdvice.BrokerStarted.class),
                TypeInstrumentation.of(NAMESRV, VersionRange.KNOWN)
                        .advise("start()", Methods.named("start").args(0), SignalsAdvice.NamesrvStarted.class));
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(NO_NOHUP, Severity.WARN, "a broker or name server runs with a controlling terminal and SIGHUP not ignored: closing the terminal stops it (incident 5)",
                        "start it with nohup (as bin/mqbroker's docs say) or under a service manager; signals.fix=true", "any"),
                FindingCode.of(SIGHUP_IGNORED, Severity.WARN, "signals.fix ignored a SIGHUP that would have stopped this broker",
                        "restart it under nohup or a service manager", "any"),
                FindingCode.of(SHUTDOWN, Severity.INFO, "warn for SIGHUP", "why the JVM is stopping: the signal, System.exit with its caller, or the last thread",
                        "for SIGHUP see signals.no-nohup", "any"));
    }

    @Override
    public List<MetricFamily> metrics() { return Collections.emptyList(); }

    @Override
    public void start(FeatureContext context) {
        SignalsWatch.fix = context.fix();
        context.atExit(new Runnable() {
            @Override
            public void run() { SignalsWatch.atExit(); }
        });
        context.onStop(new Runnable() {
            @Override
            public void run() { SignalsWatch.stop(); }
        });
        String main = System.getProperty("sun.java.command", "");
        if (main.startsWith("org.apache.rocketmq.broker.BrokerStartup")) SignalsWatch.serverStarted("broker");
        else if (main.startsWith("org.apache.rocketmq.namesrv.NamesrvStartup")) SignalsWatch.serverStarted("namesrv");
    }
}
