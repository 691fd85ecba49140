package io.rocketmqdoctor.install;

import io.rocketmqdoctor.agent.AgentLog;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps Byte Buddy's start-up (about a thousand classes, over a second on a small machine) off the
 * application's main thread. Registered in premain, it builds nothing: classes outside org.apache.rocketmq
 * pass at once; a RocketMQ class that loads before Byte Buddy is ready waits for it (so no intercept and no
 * fix is missed), then gets the same weaving as later ones. Classes loaded before this transformer existed
 * (dynamic attach) are retransformed once Byte Buddy is ready.
 */
public final class DeferredTransformer implements ClassFileTransformer {
    private static final long WAIT_SECONDS = 60;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile ClassFileTransformer delegate;
    private volatile boolean relocatedSaid;

    /** Registers this transformer now and builds the real one on a daemon thread. */
    public static DeferredTransformer install(final Instrumentation inst, final List<Feature> features) {
        final DeferredTransformer deferred = new DeferredTransformer();
        inst.addTransformer(deferred, true);
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    deferred.delegate = Installer.builder(features).makeRaw();
                } catch (Throwable e) {
                    AgentLog.warn("could not prepare instrumentation (" + e + "); RocketMQ classes run unchanged");
                } finally {
                    deferred.ready.countDown();
                }
                if (deferred.delegate != null) retransformLoaded(inst);
            }
        }, "rocketmq-doctor-install");
        t.setDaemon(true);
        t.start();
        return deferred;
    }

    /** Detach: no more weaving, and every RocketMQ class retransformed back to its original bytes. */
    public int uninstall(Instrumentation inst) {
        inst.removeTransformer(this);
        return retransformLoaded(inst);
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain pd, byte[] bytes) {
        if (name == null) return null;
        if (!name.startsWith("org/apache/rocketmq/")) {
            if (!relocatedSaid && name.indexOf("/org/apache/rocketmq/") > 0) {
                relocatedSaid = true;
                AgentLog.warn("RocketMQ relocated by a shade plugin (" + name.replace('/', '.') + ") is not instrumented: "
                        + "the agent knows RocketMQ by its own package names");
            }
            return null;
        }
        ClassFileTransformer d = delegate;
        if (d == null) {
            try {
                if (!ready.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    AgentLog.warn("instrumentation not ready after " + WAIT_SECONDS + " s; " + name + " runs unchanged");
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            d = delegate;
            if (d == null) return null;
        }
        try {
            return d.transform(loader, name, redefined, pd, bytes);
        } catch (Throwable t) {
            return null;
        }
    }

    static int retransformLoaded(Instrumentation inst) {
        List<Class<?>> loaded = new ArrayList<Class<?>>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().startsWith("org.apache.rocketmq.") && inst.isModifiableClass(c)) loaded.add(c);
        }
        for (Class<?> c : loaded) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable e) {
                AgentLog.warn("could not retransform " + c.getName() + " (" + e + ")");
            }
        }
        return loaded.size();
    }
}
