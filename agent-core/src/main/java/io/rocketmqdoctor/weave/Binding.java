package io.rocketmqdoctor.weave;

import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.Version;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Whether one release of one RocketMQ class has what a {@link TypeInstrumentation} needs, read from class files
 * only (nothing loaded): each advice's method, the fields its {@code @Advice.FieldValue} parameters name, and the
 * members the feature reads by reflection. The installer weaves by it; ReleaseBindingTest runs it on every
 * release on Maven Central.
 */
public final class Binding {
    /** Field names read by each advice class's {@code @Advice.FieldValue} parameters. */
    private static final String FIELD_VALUE = Advice.FieldValue.class.getName();
    private static final ConcurrentHashMap<Class<?>, List<String>> FIELD_VALUES = new ConcurrentHashMap<Class<?>, List<String>>();

    public final List<TypeInstrumentation.MethodAdvice> woven = new ArrayList<TypeInstrumentation.MethodAdvice>();
    /** Inside the advice's own range but not bindable in this release: each with why. */
    public final List<String> skipped = new ArrayList<String>();
    /** Reflective reads this release lacks: the whole class is left alone. */
    public final List<String> lacking = new ArrayList<String>();

    private Binding() {}

    /** {@code pool} resolves the release's other classes (the loader's class files). */
    public static Binding of(TypeInstrumentation ti, TypeDescription type, TypePool pool, Version v) {
        Binding b = new Binding();
        for (TypeInstrumentation.Member m : ti.reads()) {
            String owner = m.owner(type.getName());
            TypeDescription t = owner.equals(type.getName()) ? type : describe(pool, owner);
            if (t == null) b.lacking.add(m + " (no class " + owner + ")");
            else if (!has(t, m)) b.lacking.add(m.toString());
        }
        for (TypeInstrumentation.MethodAdvice ma : ti.advices()) {
            if (!ma.versions().contains(v)) continue;
            try {
                if (type.getDeclaredMethods().filter(Matchers.of(ma.methods())).isEmpty()) {
                    b.skipped.add(ma.describe());
                    continue;
                }
            } catch (IllegalStateException unreadable) { // a parameter type the loader cannot find
                b.skipped.add(ma.describe() + " (" + unreadable.getMessage() + ")");
                continue;
            }
            List<String> fields = new ArrayList<String>();
            for (String f : fieldValues(ma.advice())) {
                if (!has(type, TypeInstrumentation.Member.field(null, f))) fields.add(f);
            }
            if (fields.isEmpty()) b.woven.add(ma);
            else b.skipped.add(ma.describe() + " (no field " + String.join(", ", fields) + ")");
        }
        return b;
    }

    /** Whether the class declares the advised method (false when a parameter type cannot be read). */
    public static boolean declares(TypeDescription type, TypeInstrumentation.MethodAdvice ma) {
        try {
            return !type.getDeclaredMethods().filter(Matchers.of(ma.methods())).isEmpty();
        } catch (IllegalStateException unreadable) {
            return false;
        }
    }

    public static TypePool poolOf(ClassLoader loader) {
        return NeighbourTolerantPool.of(ClassFileLocator.ForClassLoader.of(loader), loader);
    }

    private static TypeDescription describe(TypePool pool, String name) {
        TypePool.Resolution r = pool.describe(name);
        return r.isResolved() ? r.resolve() : null;
    }

    /** Declared on the type or a super class; a super class that cannot be read counts as not found. */
    static boolean has(TypeDescription type, TypeInstrumentation.Member m) {
        try {
            for (TypeDefinition c = type; c != null; c = c.getSuperClass() == null ? null : c.getSuperClass().asErasure()) {
                if (m.isField() ? !c.getDeclaredFields().filter(named(m.name())).isEmpty()
                        : !c.getDeclaredMethods().filter(named(m.name()).and(takesArguments(m.arity()))).isEmpty()) {
                    return true;
                }
            }
        } catch (IllegalStateException unreadableSuperClass) {
            return false;
        }
        return false;
    }

    static List<String> fieldValues(Class<?> adviceClass) {
        List<String> l = FIELD_VALUES.get(adviceClass);
        if (l != null) return l;
        l = new ArrayList<String>();
        TypeDescription advice = Advices.agentPool(adviceClass.getClassLoader()).describe(adviceClass.getName()).resolve();
        for (MethodDescription.InDefinedShape m : advice.getDeclaredMethods()) {
            for (ParameterDescription.InDefinedShape p : m.getParameters()) {
                // compared by name: ofType(Class) would make a JDK proxy class for the annotation
                for (AnnotationDescription a : p.getDeclaredAnnotations()) {
                    if (a.getAnnotationType().getName().equals(FIELD_VALUE)) l.add(a.getValue("value").resolve(String.class));
                }
            }
        }
        l = Collections.unmodifiableList(l);
        FIELD_VALUES.put(adviceClass, l);
        return l;
    }
}
