package io.rocketmqdoctor.bench;

import java.lang.management.ManagementFactory;

/** Prints how long the JVM took from its start to main(): what premain costs the main thread shows here. */
public final class StartupProbe {
    public static void main(String[] args) {
        System.out.println("MAIN-AT " + (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()));
    }
}
