package io.rocketmqdoctor.advices;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A public no-argument getter of a RocketMQ object, by name, as a method handle per class: for the hot paths
 * (a pull's answer, a commit), where reflection would allocate. invokeExact on these allocates nothing.
 */
public final class Handles {
    private static final MethodType OBJECT = MethodType.methodType(Object.class, Object.class);
    private static final MethodType LONG = MethodType.methodType(long.class, Object.class);

    private Handles() {}

    /** A getter returning a long (or int), as (Object)long. */
    public static ClassValue<MethodHandle> longGetter(String name) {
        return new Getter(name, LONG);
    }

    /** A getter returning an object, as (Object)Object. */
    public static ClassValue<MethodHandle> getter(String name) {
        return new Getter(name, OBJECT);
    }

    private static final class Getter extends ClassValue<MethodHandle> {
        private final String name;
        private final MethodType type;

        Getter(String name, MethodType type) {
            this.name = name;
            this.type = type;
        }

        @Override
        protected MethodHandle computeValue(Class<?> c) {
            try {
                return MethodHandles.publicLookup().unreflect(c.getMethod(name)).asType(type);
            } catch (Throwable e) {
                throw new IllegalStateException(c.getName() + " has no public " + name + "()", e);
            }
        }
    }
}
