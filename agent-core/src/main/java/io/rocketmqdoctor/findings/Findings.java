package io.rocketmqdoctor.findings;

/** The one door through which every feature reports. A no-op until the agent has started. */
public final class Findings {
    private static volatile FindingsLog log;

    private Findings() {}

    public static void report(Finding f) {
        FindingsLog l = log;
        if (l != null) l.report(f);
    }

    public static FindingsLog log() { return log; }

    public static void install(FindingsLog l) { log = l; }
}
