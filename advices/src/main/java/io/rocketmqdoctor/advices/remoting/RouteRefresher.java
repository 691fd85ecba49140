package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.advices.Reflect;

import io.rocketmqdoctor.agent.AgentLog;

/**
 * The fix's second half: after a name server timed out, refresh every route this JVM's clients use soon,
 * on the agent's own thread, instead of at the next 30 s poll. Requests coalesce. When one name server of a whole
 * fleet hangs, every client would ask the remaining ones in the same second: each JVM waits a random 0 to
 * {@link #JITTER_MILLIS} first, and refreshes at most once every {@link #MIN_GAP_MILLIS} (issue 14).
 * It asks the name servers again (MQClientInstance.updateTopicRouteInfoFromNameServer()); it retries no
 * request of the application's.
 */
final class RouteRefresher implements Runnable {
    private static final Object LOCK = new Object();
    private static boolean pending;
    private static Thread thread;
    static volatile long refreshes;
    static final long JITTER_MILLIS = 2000;
    static final long MIN_GAP_MILLIS = 5000;

    private RouteRefresher() {}

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

    /** The wait before a refresh for a uniform draw {@code u} in [0, 1). */
    static long jitter(double u) {
        return (long) (u * JITTER_MILLIS);
    }

    @Override
    public void run() {
        while (true) {
            try {
                synchronized (LOCK) {
                    while (!pending) LOCK.wait();
                    pending = false;
                }
                Thread.sleep(jitter(java.util.concurrent.ThreadLocalRandom.current().nextDouble()));
                for (Object instance : ClientInstances.live()) Reflect.call(instance, "updateTopicRouteInfoFromNameServer");
                refreshes++;
                Thread.sleep(MIN_GAP_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                AgentLog.warn("remoting: immediate route refresh failed: " + t);
            }
        }
    }
}
