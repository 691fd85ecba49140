package io.rocketmqdoctor.install;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.base.Self;

import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The weaver (package weave) and Byte Buddy in a class loader of their own, reading their classes straight from the
 * agent jar. Weaving a RocketMQ client loads about 600 Byte Buddy classes; through the application class loader
 * each is looked up along the application's class path, given a URL, a code source and a package, by loader code
 * that is itself still interpreted at that moment: about 200 ms of CPU in RocketMQ's example producer, and the JIT
 * then compiles that loader code too. Defined here from the jar's bytes they cost about a fifth of that. The rest of
 * the agent, and every class the woven code calls, stay in the loader that loaded the agent (the application's):
 * this loader asks it for everything but its two packages, so Byte Buddy never reaches the application's loader.
 *
 * <p>Outside the agent jar (agent-core's classes on a test class path) the weaver is loaded as any other class.
 */
final class WeaverLoader extends ClassLoader {
    private static final String WEAVER = "io.rocketmqdoctor.weave.Weaver";
    /** Byte Buddy as relocated in the agent jar; the weaver. */
    private static final String[] OWN = {"io.rocketmqdoctor.shaded.bytebuddy.", "io.rocketmqdoctor.weave."};

    static {
        registerAsParallelCapable();
    }

    private static volatile ClassLoader loader;

    private final JarFile jar;
    private final ProtectionDomain domain;

    private WeaverLoader(ClassLoader parent, JarFile jar, ProtectionDomain domain) {
        super(parent);
        this.jar = jar;
        this.domain = domain;
    }

    /** The weaver of {@code features}, reporting failures as findings. */
    static java.lang.instrument.ClassFileTransformer weaver(List<Feature> features) throws Exception {
        Class<?> w = Class.forName(WEAVER, true, loader());
        return (java.lang.instrument.ClassFileTransformer) w.getMethod("reporting", List.class).invoke(null, features);
    }

    /** One per JVM (an attach after a detach reuses it: its classes are already defined). */
    private static synchronized ClassLoader loader() {
        if (loader == null) loader = make();
        return loader;
    }

    private static ClassLoader make() {
        ClassLoader agent = WeaverLoader.class.getClassLoader();
        ProtectionDomain pd = WeaverLoader.class.getProtectionDomain();
        try {
            File f = Self.jar();
            if (f == null) return agent; // classes in a directory: a test class path
            JarFile jar = new JarFile(f, false);
            if (jar.getEntry("io/rocketmqdoctor/shaded/bytebuddy/asm/Advice.class") == null) {
                jar.close();
                return agent; // agent-core's own jar, Byte Buddy not relocated into it
            }
            return new WeaverLoader(agent, jar, pd);
        } catch (Exception e) {
            AgentLog.info("the weaver runs in the agent's class loader (" + e + "): it only costs more to start");
            return agent;
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!own(name)) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) c = findClass(name);
            if (resolve) resolveClass(c);
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        ZipEntry e = jar.getEntry(name.replace('.', '/') + ".class");
        if (e == null) throw new ClassNotFoundException(name);
        try (InputStream in = jar.getInputStream(e)) {
            byte[] b = new byte[(int) e.getSize()];
            int off = 0;
            for (int n; off < b.length && (n = in.read(b, off, b.length - off)) > 0; ) off += n;
            return defineClass(name, b, 0, off, domain);
        } catch (java.io.IOException io) {
            throw new ClassNotFoundException(name, io);
        }
    }

    private static boolean own(String name) {
        for (String p : OWN) if (name.startsWith(p)) return true;
        return false;
    }
}
