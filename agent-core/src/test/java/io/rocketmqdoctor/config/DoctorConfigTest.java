package io.rocketmqdoctor.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorConfigTest {
    static List<ConfigOption> options() {
        List<ConfigOption> l = new ArrayList<>(DoctorConfig.globalOptions());
        l.addAll(DoctorConfig.featureSwitches("remoting", true));
        l.add(ConfigOption.choice("remoting.fix.scope", "namesrv", "scope", "namesrv", "all"));
        l.addAll(DoctorConfig.featureSwitches("stall", false));
        return l;
    }

    static DoctorConfig load(String args, Properties sys, Map<String, String> env) {
        return DoctorConfig.load(args, sys, env, options(), Arrays.asList("remoting", "stall"));
    }

    static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }

    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void defaultsAreDetectOnly() {
        DoctorConfig c = load(null, new Properties(), Collections.emptyMap());
        assertTrue(c.enabled());
        assertTrue(c.featureEnabled("remoting"));
        assertFalse(c.fixEnabled("remoting"));
        assertEquals(10_000, c.millis("interval"));
        assertEquals(0, c.integer("prometheus.port"));
        assertEquals("127.0.0.1", c.string("prometheus.host"));
        assertEquals("rocketmq-doctor", c.string("output.dir"));
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void agentArgumentBeatsSystemPropertyBeatsEnvironment() {
        DoctorConfig c = load("remoting.fix=true,interval=2s",
                props("rocketmq.doctor.remoting.fix", "false", "rocketmq.doctor.interval", "5s", "rocketmq.doctor.output.dir", "/sys-dir"),
                env("ROCKETMQ_DOCTOR_REMOTING_FIX", "false", "ROCKETMQ_DOCTOR_OUTPUT_DIR", "/env-dir", "ROCKETMQ_DOCTOR_PROMETHEUS_PORT", "9404"));
        assertTrue(c.fixEnabled("remoting"));
        assertEquals("agent argument", c.source("remoting.fix"));
        assertEquals(2000, c.millis("interval"));
        assertEquals("/sys-dir", c.string("output.dir"));
        assertEquals("system property", c.source("output.dir"));
        assertEquals(9404, c.integer("prometheus.port"));
        assertEquals("environment", c.source("prometheus.port"));
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void environmentNamesMapDotsAndDashes() {
        assertEquals("ROCKETMQ_DOCTOR_REMOTING_FIX", ConfigOption.bool("remoting.fix", false, "").envName());
        assertEquals("ROCKETMQ_DOCTOR_REMOTING_PER_ADDRESS", ConfigOption.bool("remoting.per-address", false, "").envName());
        DoctorConfig c = load(null, new Properties(), env("ROCKETMQ_DOCTOR_REMOTING_FIX_SCOPE", "all"));
        assertEquals("all", c.string("remoting.fix.scope"));
    }

    @Test
    void badValueWarnsOnceNamingKeyAndAcceptedValuesAndFallsThrough() {
        DoctorConfig c = load("remoting.fix=yes", props("rocketmq.doctor.remoting.fix", "true", "rocketmq.doctor.interval", "soon"),
                Collections.emptyMap());
        assertTrue(c.fixEnabled("remoting"), "the system property applies when the agent argument is bad");
        assertEquals(10_000, c.millis("interval"));
        assertEquals(2, c.warnings().size(), c.warnings().toString());
        String fix = c.warnings().get(0) + c.warnings().get(1);
        assertTrue(fix.contains("rocketmq.doctor.remoting.fix=yes") && fix.contains("true or false"), fix);
        assertTrue(fix.contains("rocketmq.doctor.interval=soon") && fix.contains("duration"), fix);
    }

    @Test
    void outOfRangeAndBadChoiceWarn() {
        DoctorConfig c = load("prometheus.port=70000,remoting.fix.scope=everything", new Properties(), Collections.emptyMap());
        assertEquals(0, c.integer("prometheus.port"));
        assertEquals("namesrv", c.string("remoting.fix.scope"));
        String all = String.join("\n", c.warnings());
        assertTrue(all.contains("0 to 65535"), all);
        assertTrue(all.contains("one of namesrv|all"), all);
    }

    @Test
    void unknownKeysWarnAndTheRestStillApplies() {
        DoctorConfig c = load("remoting.fixx=true,interval=1s", props("rocketmq.doctor.rebalanse.enabled", "false"),
                env("ROCKETMQ_DOCTOR_NOPE", "1"));
        assertEquals(1000, c.millis("interval"));
        assertEquals(3, c.warnings().size(), c.warnings().toString());
        for (String w : c.warnings()) assertTrue(w.contains("is not a key this agent knows") && w.contains("remoting, stall"), w);
    }

    @Test
    void enabledFalseTurnsEveryFeatureOff() {
        DoctorConfig c = load("enabled=false,remoting.fix=true", new Properties(), Collections.emptyMap());
        assertFalse(c.enabled());
        assertFalse(c.featureEnabled("remoting"));
        assertFalse(c.fixEnabled("remoting"));
    }

    @Test
    void featureOffMeansItsFixIsOffToo() {
        DoctorConfig c = load("remoting.enabled=false,remoting.fix=true", new Properties(), Collections.emptyMap());
        assertFalse(c.fixEnabled("remoting"));
        assertTrue(c.featureEnabled("stall"));
    }

    @Test
    void durationsAcceptUnits() {
        assertEquals(500, ConfigOption.parseMillis("500ms"));
        assertEquals(10_000, ConfigOption.parseMillis("10"));
        assertEquals(120_000, ConfigOption.parseMillis("2m"));
        assertEquals(3_600_000, ConfigOption.parseMillis("1h"));
        assertEquals(-1, ConfigOption.parseMillis("ten"));
    }

    /** A duration whose doc gives 0 a meaning (none, off) takes it; the others refuse it with one line. */
    @Test
    void zeroIsADurationOnlyWhereItMeansSomething() {
        ConfigOption grace = ConfigOption.durationOrZero("stall.grace", "30s", "");
        ConfigOption window = ConfigOption.duration("findings.interval", "60s", "");
        assertEquals("0", grace.normalise("0"));
        assertEquals(null, window.normalise("0"));
        assertTrue(grace.accepts().endsWith("0 for none"), grace.accepts());
    }

    /** A duration past a day is a typo: one warning naming the key and the bound, and the default applies. */
    @Test
    void aDurationHasAnUpperBound() {
        DoctorConfig c = load("interval=999999999999999999s,findings.interval=25h", new Properties(), Collections.emptyMap());
        assertEquals(10_000, c.millis("interval"));
        assertEquals(60_000, c.millis("findings.interval"));
        assertEquals(2, c.warnings().size(), c.warnings().toString());
        for (String w : c.warnings()) assertTrue(w.contains("up to 24h"), w);
        assertTrue(c.warnings().get(0).contains("rocketmq.doctor.interval=999999999999999999s"), c.warnings().get(0));
        assertEquals(24L * 3_600_000, load("interval=24h", new Properties(), Collections.emptyMap()).millis("interval"));
    }

    @Test
    void argumentWithoutEqualsWarns() {
        DoctorConfig c = load("remoting.fix", new Properties(), Collections.emptyMap());
        assertEquals(1, c.warnings().size());
        assertTrue(c.warnings().get(0).contains("not key=value"));
    }
}
