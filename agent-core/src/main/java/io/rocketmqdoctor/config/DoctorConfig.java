package io.rocketmqdoctor.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The agent's switches, resolved once at start-up.
 *
 * Precedence, highest first: the agent argument string ({@code -javaagent:jar=remoting.fix=true}),
 * then system properties ({@code -Drocketmq.doctor.remoting.fix=true}), then environment variables
 * ({@code ROCKETMQ_DOCTOR_REMOTING_FIX=true}), then the default. The agent argument wins because it
 * is written next to the agent itself; a bad value at one level falls through to the next.
 */
public final class DoctorConfig {
    public static final String PREFIX = "rocketmq.doctor.";

    private final Map<String, ConfigOption> options;
    private final Map<String, String> values = new LinkedHashMap<String, String>();
    private final Map<String, String> sources = new LinkedHashMap<String, String>();
    private final List<String> warnings = new ArrayList<String>();
    private final List<String> features;

    private DoctorConfig(Map<String, ConfigOption> options, List<String> features) {
        this.options = options;
        this.features = features;
    }

    /** The switches every agent has, whatever features it carries. */
    public static List<ConfigOption> globalOptions() {
        List<ConfigOption> l = new ArrayList<ConfigOption>();
        l.add(ConfigOption.bool("enabled", true, "false makes the agent a no-op"));
        l.add(ConfigOption.choice("activation", "rocketmq",
                "rocketmq: dormant (no thread, no Byte Buddy) until the first RocketMQ class loads; immediate: start every feature at once",
                "rocketmq", "immediate"));
        l.add(ConfigOption.string("output.dir", "rocketmq-doctor", "directory for each JVM's findings.<jvm>.jsonl, histograms.<jvm>.hlog, summary.<jvm>.txt (relative to the working directory)"));
        l.add(ConfigOption.bool("weave.cache", true, "keep woven RocketMQ classes (this user's only, Linux): the next JVM of the same agent build, switches and RocketMQ jars starts without Byte Buddy"));
        l.add(ConfigOption.string("weave.cache.dir", "", "where the weave cache is kept (one directory several JVMs may share, e.g. a node's volume); empty: <output.dir>/weave-cache"));
        l.add(ConfigOption.duration("interval", "10s", "histogram interval: how often recorders are swapped and written"));
        l.add(ConfigOption.duration("findings.interval", "60s", "rate-limit window: the first finding of a cause, then one count per window"));
        l.add(ConfigOption.integer("prometheus.port", 0, 0, 65535, "serve Prometheus text format on this port; 0 = off"));
        l.add(ConfigOption.string("prometheus.host", "127.0.0.1", "address the Prometheus endpoint binds to"));
        return l;
    }

    /** Options a feature has in every case: {@code <feature>.enabled} and, when it can fix, {@code <feature>.fix}. */
    public static List<ConfigOption> featureSwitches(String feature, boolean hasFix) {
        List<ConfigOption> l = new ArrayList<ConfigOption>();
        l.add(ConfigOption.bool(feature + ".enabled", true, "turn the " + feature + " feature off with false"));
        if (hasFix) l.add(ConfigOption.bool(feature + ".fix", false, "apply the " + feature + " fix"));
        return l;
    }

    public static DoctorConfig load(String agentArgs, Properties sys, Map<String, String> env,
                                    List<ConfigOption> allOptions, List<String> featureNames) {
        Map<String, ConfigOption> byKey = new LinkedHashMap<String, ConfigOption>();
        for (ConfigOption o : allOptions) byKey.put(o.key(), o);
        DoctorConfig c = new DoctorConfig(byKey, featureNames);

        Map<String, String> fromEnv = new LinkedHashMap<String, String>();
        Map<String, String> envToKey = new LinkedHashMap<String, String>();
        for (ConfigOption o : allOptions) envToKey.put(o.envName(), o.key());
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith("ROCKETMQ_DOCTOR_")) continue;
            String key = envToKey.get(e.getKey());
            if (key == null) c.unknown(e.getKey());
            else fromEnv.put(key, e.getValue());
        }
        Map<String, String> fromSys = new LinkedHashMap<String, String>();
        for (String name : sys.stringPropertyNames()) {
            if (!name.startsWith(PREFIX)) continue;
            String key = name.substring(PREFIX.length());
            if (!byKey.containsKey(key)) c.unknown(name);
            else fromSys.put(key, sys.getProperty(name));
        }
        Map<String, String> fromArgs = new LinkedHashMap<String, String>();
        if (agentArgs != null) {
            for (String part : agentArgs.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) continue;
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    c.warnings.add("agent argument '" + p + "' is not key=value; write it as -javaagent:<jar>=remoting.fix=true,output.dir=/path");
                    continue;
                }
                String key = p.substring(0, eq).trim();
                if (key.startsWith(PREFIX)) key = key.substring(PREFIX.length());
                if (!byKey.containsKey(key)) c.unknown(PREFIX + key + " (agent argument)");
                else fromArgs.put(key, p.substring(eq + 1));
            }
        }
        for (ConfigOption o : allOptions) {
            c.resolve(o, fromArgs, "agent argument", fromSys, "system property", fromEnv, "environment");
        }
        return c;
    }

    @SafeVarargs
    private final void resolve(ConfigOption o, Object... levels) {
        for (int i = 0; i < levels.length; i += 2) {
            @SuppressWarnings("unchecked") Map<String, String> level = (Map<String, String>) levels[i];
            String raw = level.get(o.key());
            if (raw == null) continue;
            String v = o.normalise(raw);
            if (v != null) {
                values.put(o.key(), v);
                sources.put(o.key(), (String) levels[i + 1]);
                return;
            }
            String name = "environment".equals(levels[i + 1]) ? o.envName() : PREFIX + o.key();
            warnings.add(name + "=" + raw + " is not valid (" + levels[i + 1] + "): it accepts " + o.accepts()
                    + "; using " + describeDefault(o));
        }
        values.put(o.key(), o.normalise(o.defaultValue()));
        sources.put(o.key(), "default");
    }

    private static String describeDefault(ConfigOption o) {
        return "the default " + (o.defaultValue().isEmpty() ? "(empty)" : o.defaultValue()) + " unless set elsewhere";
    }

    private void unknown(String name) {
        TreeSet<String> f = new TreeSet<String>(features);
        List<String> agentKeys = new ArrayList<String>();
        for (ConfigOption o : globalOptions()) agentKeys.add(o.key());
        warnings.add(name + " is not a key this agent knows; it is ignored. Agent keys: " + String.join(", ", agentKeys)
                + "; feature keys: <feature>.enabled, <feature>.fix and the feature's own (docs/reference.md), features: " + String.join(", ", f));
    }

    public List<String> warnings() { return Collections.unmodifiableList(warnings); }

    public boolean bool(String key) { return Boolean.parseBoolean(require(key)); }

    public long integer(String key) { return Long.parseLong(require(key)); }

    public long millis(String key) { return Long.parseLong(require(key)); }

    public String string(String key) { return require(key); }

    public String source(String key) { return sources.get(key); }

    public boolean enabled() { return bool("enabled"); }

    public boolean featureEnabled(String feature) { return enabled() && bool(feature + ".enabled"); }

    public boolean fixEnabled(String feature) {
        String v = values.get(feature + ".fix");
        return featureEnabled(feature) && v != null && Boolean.parseBoolean(v);
    }

    private String require(String key) {
        String v = values.get(key);
        if (v == null) throw new IllegalArgumentException("no option " + PREFIX + key);
        return v;
    }

    public Map<String, ConfigOption> options() { return Collections.unmodifiableMap(options); }
}
