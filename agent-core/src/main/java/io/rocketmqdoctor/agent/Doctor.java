package io.rocketmqdoctor.agent;

import io.rocketmqdoctor.base.Output;
import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.base.Self;
import io.rocketmqdoctor.tools.Catalog;
import io.rocketmqdoctor.config.DoctorConfig;
import io.rocketmqdoctor.export.Jmx;
import io.rocketmqdoctor.export.PrometheusServer;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.FindingsLog;
import io.rocketmqdoctor.histo.Counters;
import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.Summary;
import io.rocketmqdoctor.histo.Swapper;
import io.rocketmqdoctor.install.AdviceErrors;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.Installer;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.tools.AttachTool;
import io.rocketmqdoctor.install.DeferredTransformer;
import io.rocketmqdoctor.install.WeaveCache;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;

/** Starts the agent: switches, findings, histograms, exporters, then the installer. Never throws into the JVM. */
public final class Doctor {
    /** What a detach must undo. */
    static final class Running {
        Instrumentation inst;
        DeferredTransformer transformer;
        DoctorThread thread;
        Swapper swapper;
        FindingsLog findings;
        Output output;
        PrometheusServer prometheus;
        Jmx jmx;
        Thread hook;
        List<Runnable> onStop;
    }

    private static Running running;

    private Doctor() {}

    static synchronized void start(String args, Instrumentation inst) {
        boolean detach = AttachTool.disables(args);
        if (running != null) {
            if (detach) detach();
            else AgentLog.warn("already running in this JVM; the second start is ignored");
            return;
        }
        if (args != null && args.trim().equals("detach")) return;
        try {
            startUp(args, inst);
        } catch (Throwable t) {
            AgentLog.warn("could not start (" + t + "); the application runs without the agent");
        }
    }

    /** Undoes everything: weaving (classes retransformed back), threads, endpoints, MBeans, the shutdown hook. */
    static synchronized void detach() {
        Running r = running;
        if (r == null) return;
        running = null;
        try {
            int classes = r.transformer.uninstall(r.inst);
            if (r.hook != null) {
                Runtime.getRuntime().removeShutdownHook(r.hook);
                runAll(r.onStop, "stop");
                finish(r.thread, r.swapper, r.findings, r.output);
            }
            if (r.prometheus != null) r.prometheus.close();
            if (r.jmx != null) r.jmx.unregisterAll();
            Findings.install(null);
            // A second attach must start from zero, not from this one's totals; the features reset
            // their own state in their stop tasks above.
            Histograms.resetAll();
            Counters.resetAll();
            AdviceErrors.reset();
            Installer.reset();
            System.clearProperty(AttachTool.RUNNING);
            AgentLog.info("detached: " + classes + " RocketMQ classes restored to their original code; summary in " + r.output.dir());
        } catch (Throwable t) {
            AgentLog.warn("detach incomplete: " + t);
        }
    }

    public static List<Feature> features() {
        List<Feature> l = new ArrayList<Feature>();
        for (Feature f : ServiceLoader.load(Feature.class, Doctor.class.getClassLoader())) l.add(f);
        return l;
    }

    public static DoctorConfig config(String args, List<Feature> features) {
        List<String> names = new ArrayList<String>();
        for (Feature f : features) names.add(f.name());
        return DoctorConfig.load(args, System.getProperties(), System.getenv(), new Catalog(features).switches(), names);
    }

    /**
     * The agent costs nothing in a JVM that never loads RocketMQ. premain reads the switches, prints the
     * start-up line and registers one plain transformer that checks a name prefix; the rest (features, the
     * background thread, JMX, Prometheus, the output files and Byte Buddy) starts when the first org.apache.rocketmq
     * class is defined, on that class's thread, before it is woven: no intercept is missed. activation=immediate
     * starts everything at once (a hiccup meter in a JVM without RocketMQ).
     */
    private static void startUp(String args, Instrumentation inst) {
        List<Feature> all = features();
        final DoctorConfig cfg = config(args, all);
        for (String w : cfg.warnings()) AgentLog.warn(w);
        if (!cfg.enabled()) {
            AgentLog.info(Self.version() + " disabled by rocketmq.doctor.enabled=false: nothing is instrumented");
            return;
        }
        final Output output = new Output(cfg.string("output.dir"));
        final FindingsLog findings = new FindingsLog(output, cfg.millis("findings.interval"), Self.pid(), Self.version());
        Findings.install(findings);
        final List<Feature> on = new ArrayList<Feature>();
        List<String> onNames = new ArrayList<String>();
        List<String> fixes = new ArrayList<String>();
        for (io.rocketmqdoctor.catalog.FindingCode c : io.rocketmqdoctor.catalog.AgentCatalog.findings()) {
            findings.zero(c.feature(), c.code, c.baseSeverity());
        }
        for (Feature f : all) {
            if (!cfg.featureEnabled(f.name())) continue;
            for (io.rocketmqdoctor.catalog.FindingCode c : f.findings()) findings.zero(f.name(), c.code, c.baseSeverity());
            on.add(f);
            onNames.add(f.name());
            if (f.hasFix() && cfg.fixEnabled(f.name())) fixes.add(f.name());
        }
        final Running r = new Running();
        r.inst = inst;
        r.findings = findings;
        r.output = output;
        r.onStop = new CopyOnWriteArrayList<Runnable>();
        boolean immediate = "immediate".equals(cfg.string("activation"));
        AgentLog.info("RocketMQ Doctor " + Self.version() + " started: features on " + onNames + ", fixes on " + fixes
                + ", output " + output.dir() + ", interval " + cfg.millis("interval") + " ms"
                + (immediate ? "" : "; dormant until a RocketMQ class loads"));
        String cacheDir = cfg.string("weave.cache.dir");
        WeaveCache cache = !cfg.bool("weave.cache") ? null
                : WeaveCache.in(cacheDir.isEmpty() ? new java.io.File(output.dir(), "weave-cache") : new java.io.File(cacheDir).getAbsoluteFile());
        r.transformer = DeferredTransformer.install(inst, on, new Runnable() {
            @Override
            public void run() {
                activate(r, cfg, on);
            }
        }, immediate, cache);
        running = r;
        System.setProperty(AttachTool.RUNNING, Self.version());
    }

    /** Everything but the transformer: started once, by the first RocketMQ class (or at once with activation=immediate). */
    private static void activate(Running r, DoctorConfig cfg, List<Feature> on) {
        List<Runnable> periodic = new CopyOnWriteArrayList<Runnable>();
        final List<Runnable> atExit = new CopyOnWriteArrayList<Runnable>();
        // The hook first: whatever starts below is stopped at exit, even when a later step fails.
        final Running rr = r;
        r.hook = new Thread(() -> {
            runAll(atExit, "exit");
            runAll(rr.onStop, "stop");
            finish(rr.thread, rr.swapper, rr.findings, rr.output);
        }, "rocketmq-doctor-exit");
        Runtime.getRuntime().addShutdownHook(r.hook);
        List<Feature> failed = new ArrayList<Feature>();
        for (Feature f : on) {
            // Each feature starts on its own: one whose start throws is stopped at once (the threads and handlers it
            // had started), keeps no periodic or exit task, and is not woven; the others go on.
            List<Runnable> fPeriodic = new ArrayList<Runnable>();
            List<Runnable> fExit = new ArrayList<Runnable>();
            List<Runnable> fStop = new ArrayList<Runnable>();
            try {
                f.start(new FeatureContext(f.name(), cfg, fPeriodic, fExit, fStop));
                periodic.addAll(fPeriodic);
                atExit.addAll(fExit);
                r.onStop.addAll(fStop);
            } catch (Throwable t) {
                runAll(fStop, "stop");
                failed.add(f);
                AgentLog.warn(f.name() + " could not start (" + t + "); it is off and its classes are not instrumented; "
                        + "the other features go on");
            }
        }
        on.removeAll(failed);
        long interval = cfg.millis("interval");
        r.swapper = new Swapper(r.output, System.currentTimeMillis());
        if (cfg.integer("prometheus.port") > 0) {
            r.prometheus = PrometheusServer.start(cfg.string("prometheus.host"), (int) cfg.integer("prometheus.port"), r.findings);
            if (r.prometheus != null) {
                AgentLog.info("Prometheus http://" + cfg.string("prometheus.host") + ":" + r.prometheus.port() + "/metrics");
            }
        }
        r.jmx = new Jmx(r.findings);
        final Running breakers = r;
        periodic.add(new Runnable() {
            @Override
            public void run() {
                if (breakers.transformer != null) breakers.transformer.removeTripped(breakers.inst);
            }
        });
        r.thread = new DoctorThread(interval, r.swapper, r.findings, r.jmx, periodic);
        r.thread.start();
    }

    private static void runAll(List<Runnable> tasks, String what) {
        for (Runnable t : tasks) {
            try {
                t.run();
            } catch (Throwable e) {
                AgentLog.warn(what + " task failed: " + e);
            }
        }
    }

    /** At exit: the last interval, the rate-limited counts, and the summary table (only when anything was recorded). */
    static void finish(DoctorThread thread, Swapper swapper, FindingsLog findings, Output output) {
        try {
            if (thread != null) thread.interrupt();
            if (swapper == null) {
                findings.close();
                return;
            }
            swapper.swapAll();
            swapper.close();
            findings.close();
            List<io.rocketmqdoctor.histo.LatencyRecorder> all = Histograms.all();
            if (!Swapper.anyRecorded(all, null)) return;
            String table = Summary.table(all);
            // The stall feature's hiccup meter records in every JVM; the table goes to stderr only when RocketMQ was at work.
            // Every stderr line carries the prefix, so that operators (and the tests) can tell the agent's lines apart.
            if (Swapper.anyRecorded(all, "stall.")) {
                System.err.print("[rocketmq-doctor] summary since start\n[rocketmq-doctor] " + table.trim().replace("\n", "\n[rocketmq-doctor] ") + "\n");
            }
            OutputStream out = output.append("summary.txt");
            if (out != null) {
                try {
                    out.write(table.getBytes(StandardCharsets.UTF_8));
                } finally {
                    out.close();
                }
            }
        } catch (Throwable t) {
            AgentLog.warn("could not write the exit summary: " + t);
        }
    }
}
