package io.rocketmqdoctor.advices.signals;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shutdown's cause read off the thread that runs it, as JDK 8 to 25 show it while the hooks run. */
class ShutdownCauseTest {
    static StackTraceElement f(String cls, String method) {
        return new StackTraceElement(cls, method, cls.substring(cls.lastIndexOf('.') + 1) + ".java", 1);
    }

    static StackTraceElement[] waitingForHooks(StackTraceElement... below) {
        StackTraceElement[] top = {f("java.lang.Object", "wait"), f("java.lang.Thread", "join"),
                f("java.lang.ApplicationShutdownHooks", "runHooks"), f("java.lang.Shutdown", "runHooks")};
        StackTraceElement[] all = new StackTraceElement[top.length + below.length];
        System.arraycopy(top, 0, all, 0, top.length);
        System.arraycopy(below, 0, all, top.length, below.length);
        return all;
    }

    static Map<Thread, StackTraceElement[]> one(String threadName, StackTraceElement[] stack) {
        Map<Thread, StackTraceElement[]> m = new LinkedHashMap<>();
        m.put(new Thread("idle"), new StackTraceElement[]{f("java.lang.Thread", "sleep")});
        m.put(new Thread(threadName), stack);
        return m;
    }

    @Test
    void aSignalIsNamedByItsHandlerThread() {
        ShutdownCause c = ShutdownCause.find(one("SIGHUP handler", waitingForHooks(f("java.lang.Shutdown", "exit"),
                f("java.lang.Runtime", "exit"), f("java.lang.Terminator$1", "handle"), f("jdk.internal.misc.Signal$1", "run"))));
        assertEquals("SIGHUP", c.cause);
        assertEquals("SIGTERM", ShutdownCause.find(one("SIGTERM handler", waitingForHooks(f("java.lang.Shutdown", "exit")))).cause);
    }

    @Test
    void systemExitNamesItsCaller() {
        ShutdownCause c = ShutdownCause.find(one("main", waitingForHooks(f("java.lang.Shutdown", "exit"), f("java.lang.Runtime", "exit"),
                f("java.lang.System", "exit"), f("com.example.Ops", "stopBroker"), f("com.example.Ops", "main"))));
        assertEquals("System.exit", c.cause);
        assertEquals("main", c.thread);
        assertTrue(c.frames.get(0).startsWith("com.example.Ops.stopBroker"), c.frames.toString());
        assertEquals(2, c.frames.size());
    }

    @Test
    void theLastThreadEndingAndNothingAtAll() {
        assertEquals("the last non-daemon thread ended",
                ShutdownCause.find(one("DestroyJavaVM", waitingForHooks(f("java.lang.Shutdown", "shutdown")))).cause);
        assertTrue(ShutdownCause.find(one("x", new StackTraceElement[0])).cause.startsWith("unknown"));
    }
}
