package io.rocketmqdoctor.advices.os;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.findings.Severity;
import java.util.Arrays;
import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.Methods;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;


/**
 * Switch {@code os}: once a broker has started, its host's memory settings (incident 3) against the
 * recommended ones: one finding listing each that differs, silent when all is well.
 */
public final class OsFeature implements Feature {
    public static final String MEMORY_SETTINGS = "os.memory-settings";

    static final String BROKER = "org.apache.rocketmq.broker.BrokerController";
    private static final AtomicBoolean CHECKED = new AtomicBoolean();
    static volatile String root = "/";

    @Override
    public String name() { return "os"; }

    @Override
    public String description() {
        return "the broker host's memory settings (/proc/sys/vm, transparent huge pages, NUMA) against the recommended ones";
    }

    @Override
    public boolean hasFix() { return false; }

    @Override
    public String command() { return "check"; }

    @Override
    public String commandUsage() { return "[--root dir]             this host's memory settings for a broker (exit 1: some differ)"; }

    @Override
    public int runCommand(String[] args) { return MemorySettings.report(args); }

    @Override
    public List<ConfigOption> options() {
        return Collections.singletonList(ConfigOption.string("os.root", "/", "the directory that holds proc/ and sys/ (tests point it elsewhere)"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Collections.singletonList(TypeInstrumentation.of(BROKER, VersionRange.KNOWN)
                .advise("start()", Methods.named("start").args(0), OsAdvice.BrokerStarted.class));
    }

    @Override
    public List<FindingCode> findings() {
        return Collections.singletonList(
                FindingCode.of(MEMORY_SETTINGS, Severity.WARN, "host memory settings that make a broker stall (min_free_kbytes, zone_reclaim_mode, swappiness, THP...), each with the recommended value",
                        "apply the recommended values (java -jar <agent jar> check)", "any broker"));
    }

    @Override
    public List<MetricFamily> metrics() { return Collections.emptyList(); }

    @Override
    public void start(FeatureContext context) {
        root = context.string("os.root");
        CHECKED.set(false);
    }

    public static void brokerStarted() {
        if (!CHECKED.compareAndSet(false, true)) return;
        StringBuilder differ = new StringBuilder();
        StringBuilder remedy = new StringBuilder();
        Map<String, Object> values = new LinkedHashMap<String, Object>();
        for (MemorySettings.Setting s : MemorySettings.check(root)) {
            if (!s.readable() || s.ok) continue;
            differ.append(differ.length() > 0 ? "; " : "").append(s);
            remedy.append(remedy.length() > 0 ? ", " : "").append(s.name).append(' ').append(s.recommended);
            values.put(s.name, s.value);
        }
        if (values.isEmpty()) {
            AgentLog.info("os: the host's readable memory settings are as recommended");
            return;
        }
        Findings.report(Finding.of("os", MEMORY_SETTINGS, Severity.WARN, "host",
                        values.size() + " host memory setting(s) differ from the recommended values, which lets the broker stall in"
                                + " direct reclaim (incident 3): " + differ,
                        "set with sysctl and persist in /etc/sysctl.d (a reboot resets them otherwise): " + remedy)
                .with("differ", values.size()).with("values", values));
    }
}
