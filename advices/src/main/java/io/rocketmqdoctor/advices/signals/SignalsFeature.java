package io.rocketmqdoctor.advices.signals;

import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Switch {@code signals} (incident 5): in RocketMQ name servers and brokers, the SIGHUP exposure at start-up,
 * the cause of every shutdown written before the process is gone, and with {@code signals.fix} SIGHUP ignored.
 * A JVM counts as a server from its main class (BrokerStartup, NamesrvStartup) or when it starts a controller.
 */
public final class SignalsFeature implements Feature {
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
                        .advise("start()", named("start").and(takesArguments(0)), SignalsAdvice.BrokerStarted.class),
                TypeInstrumentation.of(NAMESRV, VersionRange.KNOWN)
                        .advise("start()", named("start").and(takesArguments(0)), SignalsAdvice.NamesrvStarted.class));
    }

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
