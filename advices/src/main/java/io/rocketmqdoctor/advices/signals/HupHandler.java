package io.rocketmqdoctor.advices.signals;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * sun.misc.Signal through reflection (the agent is compiled for Java 8 with --release, which hides sun.misc):
 * a SIGHUP handler that only reports, and the handler it replaced, to be put back on detach.
 */
final class HupHandler {
    private final Class<?> signalClass;
    private final Class<?> handlerClass;
    private final Object hup;
    private Object previous;

    HupHandler() throws Exception {
        signalClass = Class.forName("sun.misc.Signal");
        handlerClass = Class.forName("sun.misc.SignalHandler");
        hup = signalClass.getConstructor(String.class).newInstance("HUP");
    }

    /** Installs {@code onHup}; returns false, and puts back what was there, when SIGHUP was already ignored. */
    boolean install(final Runnable onHup) throws Exception {
        Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[]{handlerClass}, new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method m, Object[] args) {
                if (m.getName().equals("handle")) {
                    onHup.run();
                    return null;
                }
                if (m.getName().equals("equals")) return proxy == args[0];
                if (m.getName().equals("hashCode")) return System.identityHashCode(proxy);
                return "rocketmq-doctor SIGHUP handler";
            }
        });
        Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
        previous = handle.invoke(null, hup, handler);
        if (previous == handlerClass.getField("SIG_IGN").get(null)) {
            handle.invoke(null, hup, previous);
            return false;
        }
        return true;
    }

    void restore() throws Exception {
        if (previous != null) signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, hup, previous);
    }
}
