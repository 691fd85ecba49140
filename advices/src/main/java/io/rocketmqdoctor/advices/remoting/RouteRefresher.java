package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.advices.Reflect;

import io.rocketmqdoctor.base.AgentLog;

/**
 * The fix's second half: after a name server timed out, refresh every route this JVM's clients use now,
 * on the agent's own thread, instead of at the next 30 s poll. It asks the name servers again
 * (MQClientInstance.updateTopicRouteInfoFromNameServer()); it retries no request of the application's.
 * When one name server of a whole fleet hangs, every client times out in the same second: each
 * JVM waits a random part of remoting.refresh.jitter before it asks, so the fleet's lookups spread over that time
 * instead of arriving at the remaining name servers at once, and asks at most once per remoting.refresh.min-gap
 * (requests in between coalesce into the next round).
 */
final class RouteRefresher implements Runnable {
    private static final Object LOCK = new Object();
    private static boolean pending;
    private static Thread thread;
    static volatile long refreshes;
    static volatile long jitterMillis = 1000;
    static volatile long minGapMillis = 5000;

    private RouteRefresher() {}

    /** Detach: the refresh thread ends; the next request starts a new one. */
    static void stop() {
        synchronized (LOCK) {
            if (thread != null) thread.interrupt();
            thread = null;
            pending = false;
        }
    }

    static void request() {
        synchronized (LOCK) {
            pending = true;
            if (thread == null) {
                thread = new Thread(new RouteRefresher(), "rocketmq-doctor-route-refresh");
                thread.setDaemon(true);
                thread.start();
            }
            LOCK.notifyAll();
        }
    }

    @Override
    public void run() {
        while (true) {
            try {
                synchronized (LOCK) {
                    while (!pending) LOCK.wait();
                }
                long jitter = jitterMillis;
                if (jitter > 0) Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(jitter + 1));
                synchronized (LOCK) {
                    pending = false;
                }
                for (Object instance : ClientInstances.live()) Reflect.call(instance, "updateTopicRouteInfoFromNameServer");
                refreshes++;
                Thread.sleep(minGapMillis);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                AgentLog.warn("remoting: immediate route refresh failed: " + t);
            }
        }
    }
}
