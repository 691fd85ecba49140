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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent's one transformer, and all it costs a JVM that never loads RocketMQ: a name-prefix check per class
 * (installing Byte Buddy eagerly cost a JVM without RocketMQ 1.1 s of CPU and 62 MiB of RSS). The first
 * org.apache.rocketmq class activates the agent on its own thread (features, background thread, exporters, then
 * Byte Buddy's transformer), so it and every later class are woven: nothing is missed. Of the RocketMQ classes,
 * only the few dozen that a feature names reach the weaver ({@link WeaverLoader}); the others are only read for their release.
 */
public final class DeferredTransformer implements ClassFileTransformer {
    private static final String PREFIX = "org/apache/rocketmq/";
    private final List<Feature> features;
    private final Runnable activation;
    /** Internal names of the classes some enabled feature instruments; known once active. */
    private volatile Set<String> instrumented = new HashSet<String>();
    private volatile boolean activated;
    private volatile ClassFileTransformer delegate;
    private volatile boolean relocatedSaid;

    private DeferredTransformer(List<Feature> features, Runnable activation) {
        this.features = features;
        this.activation = activation;
    }

    /**
     * Registers the transformer. Activates at once with {@code immediate} or when RocketMQ is already loaded
     * (dynamic attach), and then retransforms the loaded classes.
     */
    public static DeferredTransformer install(Instrumentation inst, List<Feature> features, Runnable activation, boolean immediate) {
        DeferredTransformer d = new DeferredTransformer(features, activation);
        inst.addTransformer(d, true);
        if (immediate || rocketMqLoaded(inst)) {
            d.activate(immediate ? "activation=immediate" : "RocketMQ already loaded");
            if (d.delegate != null) d.retransformLoaded(inst);
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
            RocketMqVersions.of(name.replace('/', '.'), loader, pd);
            if (!instrumented.contains(name)) return null;
            ClassFileTransformer d = delegate;
            return d == null ? null : d.transform(loader, name, redefined, pd, bytes);
        } catch (Throwable t) {
            return null;
        }
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
        try {
            WeavingTransformer w = WeaverLoader.weaver(features);
            instrumented = w.internalNames();
            delegate = w;
        } catch (Throwable e) {
            AgentLog.warn("could not prepare instrumentation (" + e + "); RocketMQ classes run unchanged");
        }
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
            if (n.startsWith("org.apache.rocketmq.") && instrumented.contains(n.replace('.', '/')) && inst.isModifiableClass(c)) loaded.add(c);
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
