package io.rocketmqdoctor.install;

import io.rocketmqdoctor.base.AgentLog;

import java.security.ProtectionDomain;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the weaver (package weave, in a class loader of its own: {@link WeaverLoader}) shares with the rest of the
 * agent: each class's release, the lines said once, the advice sites the breaker took out.
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

    /** Advice sites the breaker took out ({@link AdviceErrors}): later weaving leaves them out. */
    private static final java.util.Set<String> REMOVED = java.util.Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    static void remove(String site) {
        REMOVED.add(site);
    }

    /** Whether the breaker took this advice site out. */
    public static boolean removed(String site) {
        return REMOVED.contains(site);
    }

    public static boolean anyRemoved() {
        return !REMOVED.isEmpty();
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

    public static void once(String key, String line) {
        Capture c = CAPTURE.get();
        if (c != null) c.lines.add(new String[]{key, line});
        if (SAID.putIfAbsent(key, Boolean.TRUE) == null) AgentLog.info(line);
    }

    /** What the weaver said about one class on this thread, and whether it failed: what {@link WeaveCache} keeps. */
    static final class Capture {
        final java.util.List<String[]> lines = new java.util.ArrayList<String[]>();
        boolean failed;
    }

    private static final ThreadLocal<Capture> CAPTURE = new ThreadLocal<Capture>();

    static Capture capture() {
        Capture c = new Capture();
        CAPTURE.set(c);
        return c;
    }

    static void endCapture() {
        CAPTURE.remove();
    }

    /** The weaver could not weave the class it is on: nothing of it is kept. */
    public static void failed() {
        Capture c = CAPTURE.get();
        if (c != null) c.failed = true;
    }

    /** Whether code woven into a class of {@code loader} can reach the agent's classes (a web app's loader may not). */
    public static boolean seesAgent(ClassLoader loader) {
        try {
            return loader != null && Class.forName(AdviceErrors.class.getName(), false, loader) == AdviceErrors.class;
        } catch (Throwable t) {
            return false;
        }
    }

    /** The release of {@code cls} as {@code loader} holds it, remembered; null (said once) when unknown or unsupported. */
    public static Version release(String cls, ClassLoader loader, ProtectionDomain pd) {
        Version v = RocketMqVersions.of(cls, loader, pd);
        if (v == null) {
            once("unknown-version:" + cls, "WARN RocketMQ release of " + cls + " could not be read; it is left alone (no instrumentation)");
            return null;
        }
        remember(loader, cls, v.toString());
        if (!VersionRange.KNOWN.contains(v)) {
            once("unsupported:" + v, "WARN RocketMQ " + v + " is not a release this agent knows (4.3.0 to 5.5.x); "
                    + "RocketMQ classes are left alone");
            return null;
        }
        return v;
    }
}
