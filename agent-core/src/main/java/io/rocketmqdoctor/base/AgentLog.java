package io.rocketmqdoctor.base;

/** The agent's own lines (start-up, warnings): stderr, one line each, always prefixed. */
public final class AgentLog {
    private AgentLog() {}

    public static void info(String line) {
        System.err.println("[rocketmq-doctor] " + line);
    }

    public static void warn(String line) {
        System.err.println("[rocketmq-doctor] WARN " + line);
    }
}
