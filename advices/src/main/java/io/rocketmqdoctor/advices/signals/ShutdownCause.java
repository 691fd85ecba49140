package io.rocketmqdoctor.advices.signals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Why the JVM is shutting down, read off the thread that runs the shutdown (it waits for the hooks, ours among
 * them): a "SIGxxx handler" thread for a signal, Runtime.exit for System.exit (with its caller's frames),
 * Shutdown.shutdown when the last non-daemon thread ended.
 */
final class ShutdownCause {
    final String cause;
    final String thread;
    final List<String> frames;

    private ShutdownCause(String cause, String thread, List<String> frames) {
        this.cause = cause;
        this.thread = thread;
        this.frames = frames;
    }

    static ShutdownCause find(Map<Thread, StackTraceElement[]> stacks) {
        for (Map.Entry<Thread, StackTraceElement[]> e : stacks.entrySet()) {
            StackTraceElement[] st = e.getValue();
            String name = e.getKey().getName();
            for (int i = 0; i < st.length; i++) {
                if (!"java.lang.Shutdown".equals(st[i].getClassName())) continue;
                if ("shutdown".equals(st[i].getMethodName())) {
                    return new ShutdownCause("the last non-daemon thread ended", name, new ArrayList<String>());
                }
                if (!"exit".equals(st[i].getMethodName())) continue;
                if (name.startsWith("SIG") && name.endsWith(" handler")) {
                    return new ShutdownCause(name.substring(0, name.length() - " handler".length()), name, new ArrayList<String>());
                }
                return new ShutdownCause("System.exit", name, callerOfExit(st, i));
            }
        }
        return new ShutdownCause("unknown (no thread is in Shutdown.exit: Runtime.halt or the JVM itself)", "", new ArrayList<String>());
    }

    /** Up to 5 frames below Runtime.exit / System.exit: who asked. */
    private static List<String> callerOfExit(StackTraceElement[] st, int from) {
        int i = from;
        while (i < st.length && (st[i].getClassName().equals("java.lang.Shutdown") || st[i].getClassName().equals("java.lang.Runtime")
                || st[i].getClassName().equals("java.lang.System"))) i++;
        List<String> out = new ArrayList<String>();
        for (; i < st.length && out.size() < 5; i++) out.add(st[i].toString());
        return out;
    }
}
