package io.rocketmqdoctor.bench;

import java.lang.instrument.Instrumentation;

/** A -javaagent that does nothing: what the JVM's own agent machinery costs, the floor under any agent. */
public final class EmptyAgent {
    private EmptyAgent() {}

    public static void premain(String args, Instrumentation inst) {
        // nothing
    }
}
