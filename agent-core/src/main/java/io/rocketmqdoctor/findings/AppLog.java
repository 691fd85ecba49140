package io.rocketmqdoctor.findings;

import io.rocketmqdoctor.agent.AgentLog;

import java.lang.reflect.Method;
import java.util.ServiceLoader;

/**
 * Sends each finding as one line to the application's own log when it has SLF4J with a binding,
 * through the application's SLF4J (the agent bundles none); otherwise to stderr. Resolved at the first
 * finding, never at start-up, so the agent does not initialise the application's logging early.
 */
final class AppLog {
    private boolean resolved;
    private Object logger;
    private Method info;
    private Method warn;
    private Method error;

    /** Called only under FindingsLog's writer lock, by the agent's thread or its exit hook: never by an application thread. */
    void log(Severity severity, String line) {
        if (!resolved) resolve();
        if (logger != null) {
            try {
                Method m = severity == Severity.ERROR ? error : severity == Severity.WARN ? warn : info;
                m.invoke(logger, line);
                return;
            } catch (Throwable t) {
                logger = null;
            }
        }
        AgentLog.info(severity.name() + " " + line);
    }

    private void resolve() {
        resolved = true;
        ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(), ClassLoader.getSystemClassLoader()};
        for (ClassLoader cl : loaders) {
            if (cl == null) continue;
            try {
                Class<?> factory = Class.forName("org.slf4j.LoggerFactory", false, cl);
                if (!hasBinding(cl)) continue;
                Object l = factory.getMethod("getLogger", String.class).invoke(null, "rocketmq.doctor");
                Class<?> loggerType = Class.forName("org.slf4j.Logger", false, cl);
                info = loggerType.getMethod("info", String.class);
                warn = loggerType.getMethod("warn", String.class);
                error = loggerType.getMethod("error", String.class);
                logger = l;
                return;
            } catch (Throwable ignored) {
                // no SLF4J here: try the next loader, else stderr
            }
        }
    }

    /** SLF4J 1.x binds through StaticLoggerBinder, 2.x through a service provider; without one it only prints a warning. */
    private static boolean hasBinding(ClassLoader cl) {
        try {
            Class.forName("org.slf4j.impl.StaticLoggerBinder", false, cl);
            return true;
        } catch (Throwable ignored) {
            // not 1.x-bound
        }
        try {
            Class<?> spi = Class.forName("org.slf4j.spi.SLF4JServiceProvider", false, cl);
            return ServiceLoader.load(spi, cl).iterator().hasNext();
        } catch (Throwable ignored) {
            return false;
        }
    }
}
