package io.rocketmqdoctor.install;

import java.util.Arrays;

/**
 * Which methods of a class an advice goes on: by name, parameter count, parameter types and return type, as plain
 * names. The weaver turns them into Byte Buddy matchers in its own class loader, so that the classes the
 * application loader holds (the features among them) never name a Byte Buddy type.
 */
public final class Methods {
    final String[] names;
    final boolean constructor;
    int arity = -1;
    /** Per parameter index: the type names any of which it may have, or null. */
    String[][] args = new String[0][];
    String returns;

    private Methods(String[] names, boolean constructor) {
        this.names = names;
        this.constructor = constructor;
    }

    /** Methods with any of these names. */
    public static Methods named(String... names) {
        return new Methods(names.clone(), false);
    }

    public static Methods constructor() {
        return new Methods(new String[0], true);
    }

    /** Exactly {@code n} parameters. */
    public Methods args(int n) {
        arity = n;
        return this;
    }

    /** Exactly these parameter types. */
    public Methods args(Class<?>... types) {
        arity = types.length;
        for (int i = 0; i < types.length; i++) arg(i, types[i]);
        return this;
    }

    public Methods arg(int index, Class<?> type) {
        return arg(index, type.getName());
    }

    /** Parameter {@code index} is of one of these types (by name: a RocketMQ type is never loaded by the agent). */
    public Methods arg(int index, String... typeNames) {
        if (args.length <= index) args = Arrays.copyOf(args, index + 1);
        args[index] = typeNames.clone();
        return this;
    }

    public Methods returns(String typeName) {
        returns = typeName;
        return this;
    }

    public boolean isConstructor() { return constructor; }

    public String[] names() { return names.clone(); }

    /** -1: any number of parameters. */
    public int arity() { return arity; }

    /** The type names allowed for parameter {@code index}, or null for any. */
    public String[] arg(int index) { return index < args.length && args[index] != null ? args[index].clone() : null; }

    public int argsNamed() { return args.length; }

    public String returns() { return returns; }
}
