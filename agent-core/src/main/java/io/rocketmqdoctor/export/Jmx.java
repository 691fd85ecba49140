package io.rocketmqdoctor.export;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.findings.FindingsLog;
import io.rocketmqdoctor.histo.Counter;
import io.rocketmqdoctor.histo.Counters;
import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;
import io.rocketmqdoctor.histo.Stats;
import io.rocketmqdoctor.install.AdviceErrors;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * MBeans under the domain {@code rocketmq.doctor}. Registered from the agent's background thread, never
 * from premain or an intercepted call: touching the platform MBean server early breaks containers that
 * set their own MBean server builder or log manager; and only into a platform MBean server that exists.
 */
public final class Jmx {
    public static final String DOMAIN = "rocketmq.doctor";
    private final Set<String> registered = new HashSet<String>();
    private final FindingsLog findings;
    private boolean findingsDone;
    private boolean failed;

    public Jmx(FindingsLog findings) {
        this.findings = findings;
    }

    /**
     * Registers what is new, once the JVM has a platform MBean server: JMX remote options, an attached console or
     * the application itself create it. The agent never does: creating it registers every platform MXBean, about
     * 120 ms of CPU in a JVM that no one watches through JMX (a RocketMQ client usually). Called every second.
     */
    public synchronized void sync() {
        if (failed || (!findingsDone && MBeanServerFactory.findMBeanServer(null).isEmpty())) return;
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (!findingsDone) {
                server.registerMBean(new FindingsBean(findings), new ObjectName(DOMAIN + ":type=Findings"));
                findingsDone = true;
                AgentLog.info("JMX: MBeans under " + DOMAIN + " in the platform MBean server");
            }
            for (LatencyRecorder r : Histograms.all()) {
                if (registered.add(r.key())) server.registerMBean(new HistogramBean(r), objectName(r));
            }
        } catch (Exception e) {
            failed = true;
            io.rocketmqdoctor.base.AgentLog.warn("JMX export off: " + e);
        }
    }

    /** Detach: every MBean of the agent's domain goes. */
    public synchronized void unregisterAll() {
        if (!findingsDone) {
            failed = true;
            return;
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName n : server.queryNames(new ObjectName(DOMAIN + ":*"), null)) server.unregisterMBean(n);
        } catch (Exception e) {
            io.rocketmqdoctor.base.AgentLog.warn("JMX: could not unregister the agent's MBeans: " + e);
        }
        registered.clear();
        findingsDone = false;
        failed = true;
    }

    static ObjectName objectName(LatencyRecorder r) throws Exception {
        StringBuilder sb = new StringBuilder(DOMAIN).append(":type=Histogram,name=").append(ObjectName.quote(r.name()));
        String[] l = r.labels();
        for (int i = 0; i < l.length; i += 2) sb.append(',').append(l[i]).append('=').append(ObjectName.quote(l[i + 1]));
        return new ObjectName(sb.toString());
    }

    static final class HistogramBean implements HistogramMXBean {
        private final LatencyRecorder r;

        HistogramBean(LatencyRecorder r) { this.r = r; }

        public long getCount() { return r.total().count; }
        public long getIntervalCount() { return r.lastInterval().count; }
        public double getMean() { return Stats.ms(r.lastInterval().mean); }
        public double getP50() { return Stats.ms(r.lastInterval().p50); }
        public double getP99() { return Stats.ms(r.lastInterval().p99); }
        public double getP999() { return Stats.ms(r.lastInterval().p999); }
        public double getMax() { return Stats.ms(r.lastInterval().max); }
    }

    static final class FindingsBean implements FindingsMXBean {
        private final FindingsLog log;

        FindingsBean(FindingsLog log) { this.log = log; }

        public long getTotal() {
            long n = 0;
            for (long v : log.counts().values()) n += v;
            return n;
        }

        public Map<String, Long> getByCode() { return log.counts(); }

        public Map<String, Long> getAdviceErrors() { return AdviceErrors.counts(); }

        public Map<String, Long> getCounters() {
            Map<String, Long> m = new LinkedHashMap<String, Long>();
            for (Counter c : Counters.all()) m.put(c.key(), c.get());
            return m;
        }
    }
}
