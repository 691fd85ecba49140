package io.rocketmqdoctor.weave;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.install.AdviceErrors;
import io.rocketmqdoctor.install.Installer;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.Version;
import io.rocketmqdoctor.install.VersionRange;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the {@link Weaver} decides and says per class: whether a feature's range and the class loader admit it, the
 * advices bound ({@link Binding}), each with suppress = Throwable and {@link AdviceErrors} as its handler.
 */
public final class Advices {
    private Advices() {}

    /** One Advice per feature and advice class, built at its first use: a producer never parses the broker's advices. */
    private static final ConcurrentHashMap<String, Advice> ADVICES = new ConcurrentHashMap<String, Advice>();
    /** The agent's own class files, read through one pool. */
    private static volatile TypePool agentPool;

    /** The advice for {@code adviceClass}, described from its class file so no RocketMQ type is loaded by the agent. */
    public static Advice advice(String feature, Class<?> adviceClass) {
        String site = AdviceErrors.site(feature, adviceClass);
        Advice a = ADVICES.get(site);
        if (a != null) return a;
        ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(adviceClass.getClassLoader());
        TypeDescription type = agentPool(adviceClass.getClassLoader()).describe(adviceClass.getName()).resolve();
        a = Advice.to(type, locator).withExceptionHandler(handler(site));
        Advice raced = ADVICES.putIfAbsent(site, a);
        return raced == null ? a : raced;
    }

    /** A pool over the agent's class files (the loader that holds the advices). */
    static TypePool agentPool(ClassLoader agentLoader) {
        TypePool p = agentPool;
        if (p == null || agentLoader != AdviceErrors.class.getClassLoader()) {
            p = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(agentLoader));
            if (agentLoader == AdviceErrors.class.getClassLoader()) agentPool = p;
        }
        return p;
    }

    private static Advice.ExceptionHandler handler(String site) {
        try {
            MethodDescription swallowed = new MethodDescription.ForLoadedMethod(
                    AdviceErrors.class.getMethod("swallowed", Throwable.class, String.class));
            return new Advice.ExceptionHandler.Simple(new StackManipulation.Compound(
                    new TextConstant(site), MethodInvocation.invoke(swallowed)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a feature's instrumentation applies to this release of the class in this loader (said once when not). */
    static boolean admits(Weaver.Target t, String cls, Version v, ClassLoader loader) {
        if (!t.ti.versions().contains(v)) {
            for (VersionRange r : t.siblings) if (r.contains(v)) return false;
            Installer.once("range:" + t.feature + cls + v, t.feature + ": " + cls + " of RocketMQ " + v + " is outside "
                    + t.ti.versions() + "; skipped");
            return false;
        }
        if (!Installer.seesAgent(loader)) {
            Installer.once("loader:" + t.feature + cls, "WARN " + t.feature + ": " + cls + " is loaded by " + loader
                    + ", which cannot see the agent's classes; skipped");
            return false;
        }
        return true;
    }

    /** Adds the advices this release of the class binds (said once: woven, skipped, or why the class is left alone). */
    static void bind(Weaver.Target t, TypeDescription type, TypePool pool, Version v, List<AsmVisitorWrapper> out,
                     List<ElementMatcher<? super MethodDescription>> methods) {
        String feature = t.feature;
        String cls = type.getName();
        Binding b = Binding.of(t.ti, type, pool, v);
        if (!b.lacking.isEmpty()) {
            Installer.once("lacks:" + feature + cls + v, "WARN " + feature + ": " + cls + " of RocketMQ " + v + " lacks "
                    + String.join(", ", b.lacking) + ", which the feature reads; skipped");
            return;
        }
        if (b.woven.isEmpty()) {
            Installer.once("none:" + feature + cls + v, feature + ": " + cls + " of RocketMQ " + v + " has none of the methods "
                    + "advised (" + String.join(", ", b.skipped) + "); skipped");
            return;
        }
        List<String> woven = new ArrayList<String>();
        for (TypeInstrumentation.MethodAdvice ma : b.woven) {
            if (Installer.removed(AdviceErrors.site(feature, ma.advice()))) {
                Installer.once("removed:" + feature + cls + ma.describe(), feature + ": " + cls + "."
                        + ma.describe() + " runs RocketMQ's own code again: its advice failed " + AdviceErrors.BREAKER_ERRORS + " times");
                continue;
            }
            ElementMatcher<MethodDescription> m = Matchers.of(ma.methods());
            out.add(advice(feature, ma.advice()).on(m));
            methods.add(m);
            woven.add(ma.describe());
        }
        Installer.once("woven:" + feature + cls, feature + ": instrumented " + cls + " (RocketMQ " + v + "): " + String.join(", ", woven)
                + (b.skipped.isEmpty() ? "" : "; not in this release, skipped: " + String.join(", ", b.skipped)));
    }

    /** A class that fails to weave is a finding of severity error, naming the class and release. */
    static final class Reporting implements Weaver.Listener {
        @Override
        public void woven(String className) {}

        @Override
        public void failed(String typeName, ClassLoader loader, Throwable t) {
            Installer.failed();
            String v = Installer.versionOf(loader, typeName);
            AgentLog.warn("could not instrument " + typeName + " (RocketMQ " + v + "): " + t + "; the class runs unchanged");
            Findings.report(Finding.of("agent", io.rocketmqdoctor.catalog.AgentCatalog.TRANSFORM_FAILED, Severity.ERROR, typeName,
                    "could not instrument " + typeName + " of RocketMQ " + v + ": " + t + "; the class runs unchanged",
                    "report this with the RocketMQ version; the feature is inactive for this class")
                    .with("class", typeName).with("rocketmq", String.valueOf(v)).with("error", t.toString()));
        }
    }
}
