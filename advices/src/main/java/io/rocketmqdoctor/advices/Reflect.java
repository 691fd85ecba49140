package io.rocketmqdoctor.advices;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/** Reflection for the cold paths (a timeout, a refresh, a rebalance): RocketMQ internals that differ by release or are not public. */
public final class Reflect {
    private Reflect() {}

    public static Object field(Object target, String name) throws Exception {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + "." + name);
    }

    /** Calls the no-argument or argument-matching method {@code name}, public or not, found by name and arity. */
    public static Object call(Object target, String name, Object... args) throws Exception {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.getName().equals(name) || m.getParameterTypes().length != args.length) continue;
                if (!fits(m.getParameterTypes(), args)) continue;
                m.setAccessible(true);
                return m.invoke(target, args);
            }
        }
        throw new NoSuchMethodException(target.getClass().getName() + "." + name + "/" + args.length);
    }

    private static boolean fits(Class<?>[] types, Object[] args) {
        for (int i = 0; i < types.length; i++) {
            if (args[i] != null && !types[i].isPrimitive() && !types[i].isInstance(args[i])) return false;
        }
        return true;
    }
}
