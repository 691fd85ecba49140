package io.rocketmqdoctor.install;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.catalog.AgentCatalog;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's one transformer, and all it costs a JVM that never loads RocketMQ: a name-prefix check per class
 * (installing Byte Buddy eagerly cost a JVM without RocketMQ 1.1 s of CPU and 62 MiB of RSS). The first
 * org.apache.rocketmq class activates the agent on its own thread (features, background thread, exporters), so it
 * and every later class are woven: nothing is missed. Of the RocketMQ classes,
 * only the few dozen that a feature names reach the weaver ({@link WeaverLoader}), loaded at the first of them that
 * the weave cache ({@link WeaveCache}) does not hold; the others are only read for their release.
 */
public final class DeferredTransformer implements ClassFileTransformer {
    private static final String PREFIX = "org/apache/rocketmq/";
    /** Part of the weave cache's key: a JVM of another Java release weaves for itself. */
    private static final String JAVA = System.getProperty("java.specification.version");
    private final List<Feature> features;
    private final Runnable activation;
    private final WeaveCache cache;
    /**
     * Internal name of each class some enabled feature instruments, to what those features bind to it (part of the
     * weave cache's key); known once active.
     */
    private volatile Map<String, String> instrumented = Collections.emptyMap();
    private volatile boolean activated;
    private volatile ClassFileTransformer weaver;
    private boolean weaverFailed;
    private volatile boolean relocatedSaid;

    private DeferredTransformer(List<Feature> features, Runnable activation, WeaveCache cache) {
        this.features = features;
        this.activation = activation;
        this.cache = cache;
    }

    /**
     * Registers the transformer. Activates at once with {@code immediate} or when RocketMQ is already loaded
     * (dynamic attach), and then retransforms the loaded classes.
     */
    public static DeferredTransformer install(Instrumentation inst, List<Feature> features, Runnable activation,
                                              boolean immediate, WeaveCache cache) {
        DeferredTransformer d = new DeferredTransformer(features, activation, cache);
        inst.addTransformer(d, true);
        if (immediate || rocketMqLoaded(inst)) {
            d.activate(immediate ? "activation=immediate" : "RocketMQ already loaded");
            d.retransformLoaded(inst);
        }
        return d;
    }

    /**
     * The agent's thread, every interval: advice sites that tripped their breaker ({@link AdviceErrors}) are taken
     * out of every class they were woven into (the loaded classes are woven again without them), said once each.
     */
    public void removeTripped(Instrumentation inst) {
        List<String> sites = AdviceErrors.takeTripped();
        if (sites.isEmpty() || !activated) return;
        for (String site : sites) Installer.remove(site);
        int classes = retransformLoaded(inst);
        for (String site : sites) {
            int space = site.indexOf(' ');
            String feature = space < 0 ? site : site.substring(0, space);
            String advice = space < 0 ? "" : site.substring(space + 1);
            AgentLog.warn(feature + ": advice " + advice + " failed " + AdviceErrors.BREAKER_ERRORS + " times and was removed ("
                    + classes + " classes woven again without it); the rest of the agent goes on");
            Findings.report(Finding.of("agent", AgentCatalog.ADVICE_REMOVED, Severity.ERROR, site,
                    "the agent's " + feature + " advice " + advice + " failed " + AdviceErrors.BREAKER_ERRORS
                            + " times; it was taken out and the methods it watched run RocketMQ's own code again",
                    "report this with the RocketMQ version; what the advice measured or detected is off until the JVM restarts")
                    .with("feature", feature).with("advice", advice).with("errors", AdviceErrors.BREAKER_ERRORS).with("classes", classes));
        }
    }

    /** Detach: no more weaving, and every woven RocketMQ class retransformed back to its original bytes. */
    public int uninstall(Instrumentation inst) {
        inst.removeTransformer(this);
        return activated ? retransformLoaded(inst) : 0;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain pd, byte[] bytes) {
        if (name == null) return null;
        if (!name.startsWith(PREFIX)) {
            if (!relocatedSaid && name.indexOf("/" + PREFIX) > 0) {
                relocatedSaid = true;
                AgentLog.warn("RocketMQ relocated by a shade plugin (" + name.replace('/', '.') + ") is not instrumented: "
                        + "the agent knows RocketMQ by its own package names");
            }
            return null;
        }
        try {
            if (!activated) activate("first RocketMQ class " + name.replace('/', '.'));
            if (!roleSaid) role(name);
            RocketMqVersions.of(name.replace('/', '.'), loader, pd);
            String advised = instrumented.get(name);
            return advised == null ? null : weave(loader, name, redefined, pd, bytes, advised);
        } catch (Throwable t) {
            return null;
        }
    }

    /** From the weave cache when it holds these bytes under this key; else woven, and kept unless weaving failed. */
    private byte[] weave(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain pd, byte[] bytes, String advised)
            throws Exception {
        String cls = name.replace('/', '.');
        String key = null;
        // A loader that cannot see the agent, or an advice the breaker took out: the weaver decides, nothing kept.
        if (cache != null && !Installer.anyRemoved() && Installer.seesAgent(loader)) {
            Version v = Installer.release(cls, loader, pd);
            if (v == null) return null; // the weaver would say the same and leave it
            key = cls + "\n" + v + "\n" + JAVA + "\n" + advised;
            WeaveCache.Entry e = cache.get(key, cls, bytes);
            if (e != null) {
                for (String[] line : e.lines) Installer.once(line[0], line[1]);
                Installer.once("weave-cache", "weave cache: woven classes read from " + cache.dir() + " (Byte Buddy is loaded only for a class it lacks)");
                return e.woven;
            }
        }
        ClassFileTransformer w = weaver();
        if (w == null) return null;
        Installer.Capture said = key == null ? null : Installer.capture();
        try {
            byte[] woven = w.transform(loader, name, redefined, pd, bytes);
            if (said != null && !said.failed) cache.put(key, cls, bytes, woven, said.lines);
            return woven;
        } finally {
            if (said != null) Installer.endCapture();
        }
    }

    /** Byte Buddy and the weaver, loaded at the first class to weave. */
    private ClassFileTransformer weaver() {
        ClassFileTransformer w = weaver;
        if (w != null) return w;
        synchronized (this) {
            if (weaver == null && !weaverFailed) {
                try {
                    weaver = WeaverLoader.weaver(features);
                } catch (Throwable e) {
                    weaverFailed = true;
                    AgentLog.warn("could not prepare instrumentation (" + e + "); RocketMQ classes run unchanged");
                }
            }
            return weaver;
        }
    }

    /** For each class the features instrument, what they bind to it: feature, ranges, members read, advices. */
    static Map<String, String> advised(List<Feature> features) {
        Map<String, StringBuilder> m = new HashMap<String, StringBuilder>();
        for (Feature f : features) {
            for (TypeInstrumentation ti : f.instrumentations()) {
                String name = ti.typeName().replace('.', '/');
                StringBuilder b = m.get(name);
                if (b == null) m.put(name, b = new StringBuilder());
                b.append(f.name()).append(' ').append(ti.versions()).append(" reads ").append(ti.reads());
                for (TypeInstrumentation.MethodAdvice ma : ti.advices()) {
                    b.append("; ").append(ma.describe()).append(' ').append(ma.versions()).append(' ').append(ma.advice().getName());
                }
                b.append('\n');
            }
        }
        Map<String, String> out = new HashMap<String, String>();
        for (Map.Entry<String, StringBuilder> e : m.entrySet()) out.put(e.getKey(), e.getValue().toString());
        return out;
    }

    private volatile boolean roleSaid;

    /**
     * The RocketMQ role of this JVM, said once by the first startup class that loads: a proxy in local mode loads
     * BrokerStartup after its own ProxyStartup, and is a proxy with a broker inside.
     */
    private void role(String name) {
        String role = name.equals("org/apache/rocketmq/proxy/ProxyStartup")
                ? "a RocketMQ proxy (ProxyStartup; in local mode its broker runs in this JVM, and the broker features watch it)"
                : name.equals("org/apache/rocketmq/broker/BrokerStartup") ? "a RocketMQ broker (BrokerStartup)"
                : name.equals("org/apache/rocketmq/namesrv/NamesrvStartup") ? "a RocketMQ name server (NamesrvStartup)"
                : name.equals("org/apache/rocketmq/controller/ControllerStartup") ? "a RocketMQ controller (ControllerStartup)" : null;
        if (role == null) return;
        roleSaid = true;
        Installer.once("role", "this JVM is " + role);
    }

    private synchronized void activate(String why) {
        if (activated) return;
        activated = true;
        long t0 = System.nanoTime();
        try {
            activation.run();
        } catch (Throwable e) {
            AgentLog.warn("could not start (" + e + "); RocketMQ classes run unchanged");
            return;
        }
        instrumented = advised(features); // after the activation: a feature that failed to start is gone from the list
        Installer.once("activated", "active (" + why + "): instrumentation ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    private static boolean rocketMqLoaded(Instrumentation inst) {
        for (Class<?> c : inst.getAllLoadedClasses()) if (c.getName().startsWith("org.apache.rocketmq.")) return true;
        return false;
    }

    int retransformLoaded(Instrumentation inst) {
        List<Class<?>> loaded = new ArrayList<Class<?>>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String n = c.getName();
            if (n.startsWith("org.apache.rocketmq.") && instrumented.containsKey(n.replace('.', '/')) && inst.isModifiableClass(c)) loaded.add(c);
        }
        for (Class<?> c : loaded) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable e) {
                AgentLog.warn("could not retransform " + c.getName() + " (" + e + ")");
            }
        }
        return loaded.size();
    }
}
