package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.advices.Reflect;

import io.rocketmqdoctor.agent.AgentLog;

/**
 * The fix's second half: after a name server timed out, refresh every route this JVM's clients use now,
 * on the agent's own thread, instead of at the next 30 s poll. Requests coalesce; at most one run a second.
 * It asks the name servers again (MQClientInstance.updateTopicRouteInfoFromNameServer()); it retries no
 * request of the application's.
 */
final class RouteRefresher implements Runnable {
    private static final Object LOCK = new Object();
    private static boolean pending;
    private static Thread thread;
    static volatile long refreshes;

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
                    pending = false;
                }
                for (Object instance : ClientInstances.live()) Reflect.call(instance, "updateTopicRouteInfoFromNameServer");
                refreshes++;
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                AgentLog.warn("remoting: immediate route refresh failed: " + t);
            }
        }
    }
}
