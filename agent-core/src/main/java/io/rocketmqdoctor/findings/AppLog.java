package io.rocketmqdoctor.findings;

import io.rocketmqdoctor.base.AgentLog;

import java.lang.reflect.Method;
import java.util.ServiceLoader;

/**
 * Sends each finding as one line to the application's own log when it has SLF4J with a binding,
 * through the application's SLF4J (the agent bundles none); otherwise to stderr. The agent never initialises the
 * application's logging: it uses SLF4J only once the application has (LoggerFactory's INITIALIZATION_STATE is
 * SUCCESSFUL_INITIALIZATION), and until then writes to stderr and looks again at the next finding. Found by
 * HaChurnTest: the agent's thread writing a GC-pause finding while a 4.9.7 broker's main thread was initialising
 * logback made SLF4J hand the broker a SubstituteLoggerFactory, which BrokerStartup casts to logback's
 * LoggerContext: the broker exited with a ClassCastException.
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
                if (!initialisedByTheApplication(factory)) {
                    resolved = false;                       // not yet: stderr for now, look again next time
                    return;
                }
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

    /** SLF4J 1.7 and 2.x: INITIALIZATION_STATE 3 is SUCCESSFUL_INITIALIZATION; anything else and we stay away. */
    private static boolean initialisedByTheApplication(Class<?> factory) {
        try {
            java.lang.reflect.Field state = factory.getDeclaredField("INITIALIZATION_STATE");
            state.setAccessible(true);
            return state.getInt(null) == 3;
        } catch (Throwable t) {
            return false;
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
