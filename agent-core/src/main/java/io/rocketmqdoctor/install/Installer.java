package io.rocketmqdoctor.install;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Weaves every enabled feature's advices with Byte Buddy: no class format changes (no added fields or
 * methods, so classes already loaded can be retransformed), only org.apache.rocketmq classes considered,
 * every advice with suppress = Throwable and {@link AdviceErrors} as its handler. Registered through
 * {@link DeferredTransformer}.
 */
public final class Installer {
    private static final ConcurrentHashMap<String, Boolean> SAID = new ConcurrentHashMap<String, Boolean>();
    /**
     * The release each matched class was read in, per class loader (weak: an undeployed web app's loader goes): two
     * applications in one JVM may hold two RocketMQ releases of the same class, each woven with its own binding.
     */
    private static final java.util.Map<ClassLoader, ConcurrentHashMap<String, String>> VERSION_OF_CLASS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<ClassLoader, ConcurrentHashMap<String, String>>());

    private Installer() {}

    /** The agent builder for {@code features}; also used by bench to weave stand-ins. */
    public static AgentBuilder builder(List<Feature> features) {
        AgentBuilder b = quietDefault()
                .disableClassFormatChanges()
                // Advice only visits existing methods: DECORATE skips building the type's method graph (which parses
                // every super type and interface through the type pool), as OpenTelemetry's agent does (issue 13).
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
                // a type another agent defined in memory (no class file) is described from the loaded class
                .with(NeighbourTolerantPool.Strategy.INSTANCE)
                .with(new Errors())
                .ignore(not(nameStartsWith("org.apache.rocketmq.")));
        for (Feature f : features) {
            List<TypeInstrumentation> all = f.instrumentations();
            for (TypeInstrumentation ti : all) {
                b = b.type(new Match(f.name(), ti, all)).transform(new Weave(f.name(), ti));
            }
        }
        return b;
    }

    /**
     * {@code new AgentBuilder.Default()} builds a SelfInjection initialization strategy whose NexusAccessor
     * initialises ClassInjector.UsingReflection and UsingUnsafe: on Java 24+ the JDK then prints four
     * "sun.misc.Unsafe ... will be removed" warnings naming our jar (issue 17), though this agent never injects a
     * class (no class format changes, no auxiliary types, InitializationStrategy.NoOp below). Byte Buddy's own
     * switch (relocated with it, so it concerns only our copy) keeps the Nexus, and so Unsafe, untouched; it is
     * read once, when the NexusAccessor class initialises, so it is set only around that moment.
     */
    private static AgentBuilder quietDefault() {
        String key = "net.bytebuddy.nexus.disabled";
        synchronized (Installer.class) {
            String old = System.getProperty(key);
            System.setProperty(key, "true");
            try {
                return new AgentBuilder.Default().with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                        .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE);
            } finally {
                if (old == null) System.clearProperty(key);
                else System.setProperty(key, old);
            }
        }
    }

    /** Advice sites the breaker took out ({@link AdviceErrors}): later weaving leaves them out. */
    private static final java.util.Set<String> REMOVED = java.util.Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    static void remove(String site) {
        REMOVED.add(site);
    }

    /** Detach: the next attach says its lines again and weaves every advice. */
    public static void reset() {
        SAID.clear();
        VERSION_OF_CLASS.clear();
        REMOVED.clear();
    }

    /** The RocketMQ release of {@code className} as {@code loader} holds it (read from its jar when matched), or null. */
    public static String versionOf(ClassLoader loader, String className) {
        ConcurrentHashMap<String, String> m = VERSION_OF_CLASS.get(loader);
        return m == null ? null : m.get(className);
    }

    private static void remember(ClassLoader loader, String className, String version) {
        ConcurrentHashMap<String, String> m;
        synchronized (VERSION_OF_CLASS) {
            m = VERSION_OF_CLASS.get(loader);
            if (m == null) VERSION_OF_CLASS.put(loader, m = new ConcurrentHashMap<String, String>());
        }
        m.put(className, version);
    }

    static void once(String key, String line) {
        if (SAID.putIfAbsent(key, Boolean.TRUE) == null) AgentLog.info(line);
    }

    /** The advice for {@code adviceClass}, described from its class file so no RocketMQ type is loaded by the agent. */
    static Advice advice(String feature, Class<?> adviceClass) {
        ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(adviceClass.getClassLoader());
        TypeDescription type = TypePool.Default.of(locator).describe(adviceClass.getName()).resolve();
        return Advice.to(type, locator).withExceptionHandler(handler(AdviceErrors.site(feature, adviceClass)));
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

    /** The type by name, in a known release inside the instrumentation's range, in a loader that sees the agent. */
    static final class Match implements AgentBuilder.RawMatcher {
        private final String feature;
        private final TypeInstrumentation ti;
        /** The feature's instrumentations of the same class for other release ranges (e.g. a fix up to 4.5.1 only). */
        private final List<VersionRange> siblings = new ArrayList<VersionRange>();

        Match(String feature, TypeInstrumentation ti, List<TypeInstrumentation> featureAll) {
            this.feature = feature;
            this.ti = ti;
            for (TypeInstrumentation o : featureAll) if (o != ti && o.typeName.equals(ti.typeName)) siblings.add(o.versions);
        }

        @Override
        public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module, Class<?> redefined, ProtectionDomain pd) {
            if (!type.getName().equals(ti.typeName)) return false;
            Version v = RocketMqVersions.of(type.getName(), loader, pd);
            String cls = type.getName();
            if (v == null) {
                once("unknown-version:" + cls, "WARN RocketMQ release of " + cls + " could not be read; " + feature
                        + " leaves it alone (no instrumentation)");
                return false;
            }
            remember(loader, cls, v.toString());
            if (!VersionRange.KNOWN.contains(v)) {
                once("unsupported:" + v, "WARN RocketMQ " + v + " is not a release this agent knows (4.3.0 to 5.5.x); "
                        + "RocketMQ classes are left alone");
                return false;
            }
            if (!ti.versions.contains(v)) {
                for (VersionRange r : siblings) if (r.contains(v)) return false;
                once("range:" + feature + cls + v, feature + ": " + cls + " of RocketMQ " + v + " is outside "
                        + ti.versions + "; skipped");
                return false;
            }
            if (!seesAgent(loader)) {
                once("loader:" + feature + cls, "WARN " + feature + ": " + cls + " is loaded by " + loader
                        + ", which cannot see the agent's classes; skipped");
                return false;
            }
            Binding b = Binding.of(ti, type, Binding.poolOf(loader), v);
            if (!b.lacking.isEmpty()) {
                once("lacks:" + feature + cls + v, "WARN " + feature + ": " + cls + " of RocketMQ " + v + " lacks "
                        + String.join(", ", b.lacking) + ", which the feature reads; skipped");
                return false;
            }
            return !b.woven.isEmpty() || sayNothingToWeave(b, cls, v);
        }

        private boolean sayNothingToWeave(Binding b, String cls, Version v) {
            once("none:" + feature + cls + v, feature + ": " + cls + " of RocketMQ " + v + " has none of the methods "
                    + "advised (" + String.join(", ", b.skipped) + "); skipped");
            return false;
        }

        private static boolean seesAgent(ClassLoader loader) {
            try {
                return loader != null && Class.forName(AdviceErrors.class.getName(), false, loader) == AdviceErrors.class;
            } catch (Throwable t) {
                return false;
            }
        }
    }

    static final class Weave implements AgentBuilder.Transformer {
        private final String feature;
        private final TypeInstrumentation ti;
        /** Built at the first match: a producer never pays for parsing the broker's advice classes. */
        private List<Advice> advices;

        Weave(String feature, TypeInstrumentation ti) {
            this.feature = feature;
            this.ti = ti;
        }

        private synchronized List<Advice> advices() {
            if (advices == null) {
                List<Advice> l = new ArrayList<Advice>();
                for (TypeInstrumentation.MethodAdvice ma : ti.advices) l.add(advice(feature, ma.advice));
                advices = l;
            }
            return advices;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                                JavaModule module, ProtectionDomain pd) {
            String version = versionOf(loader, type.getName());
            Binding b = Binding.of(ti, type, Binding.poolOf(loader), Version.of(version));
            List<String> woven = new ArrayList<String>();
            for (TypeInstrumentation.MethodAdvice ma : b.woven) {
                if (REMOVED.contains(AdviceErrors.site(feature, ma.advice))) {
                    once("removed:" + feature + type.getName() + ma.describe, feature + ": " + type.getName() + "."
                            + ma.describe + " runs RocketMQ's own code again: its advice failed " + AdviceErrors.BREAKER_ERRORS + " times");
                    continue;
                }
                builder = builder.visit(advices().get(ti.advices.indexOf(ma)).on(ma.methods));
                woven.add(ma.describe);
            }
            once("woven:" + feature + type.getName(), feature + ": instrumented " + type.getName() + " (RocketMQ " + version
                    + "): " + String.join(", ", woven)
                    + (b.skipped.isEmpty() ? "" : "; not in this release, skipped: " + String.join(", ", b.skipped)));
            return builder;
        }
    }

    /** A transformation that fails is a finding of severity error, naming the class and release. */
    static final class Errors extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
            String v = versionOf(loader, typeName);
            AgentLog.warn("could not instrument " + typeName + " (RocketMQ " + v + "): " + t + "; the class runs unchanged");
            Findings.report(Finding.of("agent", io.rocketmqdoctor.catalog.AgentCatalog.TRANSFORM_FAILED, Severity.ERROR, typeName,
                    "could not instrument " + typeName + " of RocketMQ " + v + ": " + t + "; the class runs unchanged",
                    "report this with the RocketMQ version; the feature is inactive for this class")
                    .with("class", typeName).with("rocketmq", String.valueOf(v)).with("error", t.toString()));
        }
    }
}
