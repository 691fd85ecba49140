package io.rocketmqdoctor.agent;

/** The agent's own lines (start-up, warnings): stderr, one line each, always prefixed. */
public final class AgentLog {
    private static volatile boolean quiet;

    private AgentLog() {}

    public static void info(String line) {
        if (!quiet) System.err.println("[rocketmq-doctor] " + line);
    }

    public static void warn(String line) {
        System.err.println("[rocketmq-doctor] WARN " + line);
    }

    static void quiet(boolean q) { quiet = q; }
}
