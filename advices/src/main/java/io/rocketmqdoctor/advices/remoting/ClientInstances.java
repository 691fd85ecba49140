package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.advices.Reflect;

import io.rocketmqdoctor.base.AgentLog;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The started MQClientInstances of this JVM (usually one), for the immediate route refresh, and their
 * route poll interval (ClientConfig.pollNameServerInterval, 30 s by default). Held weakly.
 */
public final class ClientInstances {
    static final long DEFAULT_POLL_MILLIS = 30_000;
    private static final List<WeakReference<Object>> INSTANCES = new ArrayList<WeakReference<Object>>();
    private static volatile long pollMillis = DEFAULT_POLL_MILLIS;

    private ClientInstances() {}

    static void reset() {
        synchronized (INSTANCES) {
            INSTANCES.clear();
        }
        pollMillis = DEFAULT_POLL_MILLIS;
    }

    /** Called from woven MQClientInstance.start(). */
    public static void started(Object instance) {
        synchronized (INSTANCES) {
            for (WeakReference<Object> r : INSTANCES) if (r.get() == instance) return;
            if (INSTANCES.size() < 32) INSTANCES.add(new WeakReference<Object>(instance));
        }
        try {
            Object cfg = Reflect.field(instance, "clientConfig");
            Object poll = Reflect.call(cfg, "getPollNameServerInterval");
            if (poll instanceof Integer && (Integer) poll > 0) pollMillis = (Integer) poll;
        } catch (Exception e) {
            AgentLog.warn("remoting: could not read the route poll interval (" + e + "); assuming 30 s");
        }
    }

    static long pollMillis() { return pollMillis; }

    static List<Object> live() {
        List<Object> out = new ArrayList<Object>();
        synchronized (INSTANCES) {
            for (Iterator<WeakReference<Object>> it = INSTANCES.iterator(); it.hasNext(); ) {
                Object o = it.next().get();
                if (o == null) it.remove();
                else out.add(o);
            }
        }
        return out;
    }
}
