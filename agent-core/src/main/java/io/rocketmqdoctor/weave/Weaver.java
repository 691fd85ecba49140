package io.rocketmqdoctor.weave;

import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.Installer;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.Version;
import io.rocketmqdoctor.install.VersionRange;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.ClassWriterStrategy;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transformer behind the agent's DeferredTransformer: a class some feature names is described once from the bytes
 * the JVM hands over, its release checked ({@link Advices#admits}), and the advices bound for that release
 * ({@link Binding}) woven by Byte Buddy's {@code Advice} as an ASM class visitor; the methods not advised are copied
 * as they are. Byte Buddy's AgentBuilder did the same through its matchers, listeners, type writer and class
 * injectors: in RocketMQ's example producer that was 1116 Byte Buddy classes loaded and verified and three type pools
 * per woven class, most of the agent's cost in a client JVM.
 */
public final class Weaver implements ClassFileTransformer {
    /** What became of a class: the agent reports failures as findings; ReleaseBindingTest collects them. */
    public interface Listener {
        void woven(String className);

        void failed(String className, ClassLoader loader, Throwable error);
    }

    /** One feature's instrumentation of a class, and that feature's instrumentations of it for other ranges. */
    static final class Target {
        final String feature;
        final TypeInstrumentation ti;
        final List<VersionRange> siblings = new ArrayList<VersionRange>();

        Target(String feature, TypeInstrumentation ti) {
            this.feature = feature;
            this.ti = ti;
        }
    }

    private final Map<String, List<Target>> byInternalName = new HashMap<String, List<Target>>();
    private final Listener listener;

    private Weaver(Listener listener) {
        this.listener = listener;
    }

    public static Weaver of(List<Feature> features, Listener listener) {
        Weaver w = new Weaver(listener);
        for (Feature f : features) {
            List<TypeInstrumentation> all = f.instrumentations();
            for (TypeInstrumentation ti : all) {
                Target t = new Target(f.name(), ti);
                for (TypeInstrumentation o : all) if (o != ti && o.typeName().equals(ti.typeName())) t.siblings.add(o.versions());
                String key = ti.typeName().replace('.', '/');
                List<Target> l = w.byInternalName.get(key);
                if (l == null) w.byInternalName.put(key, l = new ArrayList<Target>());
                l.add(t);
            }
        }
        return w;
    }

    /** The agent's weaver, reporting failures as findings: what {@code WeaverLoader} calls by reflection. */
    public static ClassFileTransformer reporting(List<Feature> features) {
        return of(features, new Advices.Reporting());
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain pd, byte[] bytes) {
        List<Target> targets = internalName == null ? null : byInternalName.get(internalName);
        if (targets == null || bytes == null) return null;
        String cls = internalName.replace('/', '.');
        try {
            Version v = Installer.release(cls, loader, pd);
            if (v == null) return null;
            TypePool pool = NeighbourTolerantPool.of(new ClassFileLocator.Compound(ClassFileLocator.Simple.of(cls, bytes),
                    ClassFileLocator.ForClassLoader.of(loader)), loader);
            TypeDescription type = pool.describe(cls).resolve();
            List<AsmVisitorWrapper> advices = new ArrayList<AsmVisitorWrapper>();
            List<ElementMatcher<? super MethodDescription>> methods = new ArrayList<ElementMatcher<? super MethodDescription>>();
            for (Target t : targets) {
                if (Advices.admits(t, cls, v, loader)) Advices.bind(t, type, pool, v, advices, methods);
            }
            if (advices.isEmpty()) return null;
            byte[] woven = weave(type, pool, bytes, new AsmVisitorWrapper.Compound(advices), new ElementMatcher.Junction.Disjunction<MethodDescription>(methods));
            listener.woven(cls);
            return woven;
        } catch (Throwable t) {
            listener.failed(cls, loader, t);
            return null;
        }
    }

    /**
     * What Byte Buddy's type writer does for a decorated type with class format changes disabled: the implementation
     * context that refuses new members, frames generated by Advice itself unless a wrapper asks ASM to compute them.
     */
    static byte[] weave(TypeDescription type, TypePool pool, byte[] bytes, AsmVisitorWrapper wrapper,
                        ElementMatcher<? super MethodDescription> advised) {
        int writerFlags = wrapper.mergeWriter(AsmVisitorWrapper.NO_FLAGS);
        int readerFlags = wrapper.mergeReader(AsmVisitorWrapper.NO_FLAGS);
        ClassReader reader = OpenedClassReader.of(bytes);
        ClassWriter writer = ClassWriterStrategy.Default.CONSTANT_POOL_RETAINING.resolve(writerFlags, pool, reader);
        ClassFileVersion version = ClassFileVersion.ofClassFile(bytes);
        Implementation.Context.FrameGeneration frames = (writerFlags & ClassWriter.COMPUTE_FRAMES) == 0
                && version.isAtLeast(ClassFileVersion.JAVA_V6)
                ? ((readerFlags & ClassReader.EXPAND_FRAMES) == 0 ? Implementation.Context.FrameGeneration.GENERATE
                : Implementation.Context.FrameGeneration.EXPAND)
                : Implementation.Context.FrameGeneration.DISABLED;
        Implementation.Context context = Implementation.Context.Disabled.Factory.INSTANCE.make(type, null,
                TypeInitializer.None.INSTANCE, version, version, frames);
        // Only the advised methods: the wrapper keys each by its descriptor, built from the method's parameter types.
        ClassVisitor visitor = wrapper.wrap(type, writer, context, pool, type.getDeclaredFields(),
                type.getDeclaredMethods().filter(advised), writerFlags, readerFlags);
        reader.accept(visitor, readerFlags);
        return writer.toByteArray();
    }
}
