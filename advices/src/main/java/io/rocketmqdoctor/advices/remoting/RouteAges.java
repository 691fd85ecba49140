package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each topic's route was last fetched from a name server, and whether the client is failing to
 * fetch it. A topic whose lookups fail with remoting errors (timeouts, connect failures) for longer than
 * a number of poll intervals has a stale route: the client sends along what it knew before.
 * A topic that simply does not exist fails with MQClientException and is not counted as stale.
 */
public final class RouteAges {
    static final int MAX_TOPICS = 1024;

    static final class Age {
        volatile long lastSuccess;
        volatile long lastFailure;
        volatile long failuresSinceSuccess;
        final long firstSeen;

        Age(long now) { firstSeen = now; }
    }

    private static final ConcurrentHashMap<String, Age> TOPICS = new ConcurrentHashMap<String, Age>();
    static volatile int stalePolls = 3;

    private RouteAges() {}

    /** Detach: a second attach starts without the first one's topics. */
    static void reset() {
        TOPICS.clear();
    }

    /** Called from woven MQClientAPIImpl.getTopicRouteInfoFromNameServer(String,long,boolean). */
    public static void looked(String topic, Object route, Throwable thrown) {
        if (topic == null) return;
        long now = System.currentTimeMillis();
        Age a = TOPICS.get(topic);
        if (a == null) {
            if (TOPICS.size() >= MAX_TOPICS) return;
            Age fresh = new Age(now);
            a = TOPICS.putIfAbsent(topic, fresh);
            if (a == null) a = fresh;
        }
        if (thrown == null && route != null) {
            a.lastSuccess = now;
            a.failuresSinceSuccess = 0;
        } else if (thrown != null && thrown.getClass().getName().startsWith("org.apache.rocketmq.remoting.exception.")) {
            a.lastFailure = now;
            a.failuresSinceSuccess++;
        }
    }

    /** The detector, on the agent's thread every interval. */
    static void check() {
        long now = System.currentTimeMillis();
        long limit = stalePolls * ClientInstances.pollMillis();
        for (Map.Entry<String, Age> e : TOPICS.entrySet()) {
            Age a = e.getValue();
            if (a.failuresSinceSuccess == 0 || a.lastFailure == 0) continue;
            long since = a.lastSuccess > 0 ? a.lastSuccess : a.firstSeen;
            long age = now - since;
            if (age <= limit) continue;
            Findings.report(Finding.of("remoting", RemotingFeature.ROUTE_STALE, Severity.WARN, e.getKey(),
                    "the route of topic " + e.getKey() + " was last refreshed " + age / 1000 + " s ago (" + a.failuresSinceSuccess
                            + " failed lookups since); this client sends along an old route",
                    "find the name server that does not answer (remoting.namesrv-unresponsive); set rocketmq.doctor.remoting.fix=true "
                            + "to move to a healthy name server and refresh at once")
                    .with("topic", e.getKey()).with("ageMs", age).with("failedLookups", a.failuresSinceSuccess)
                    .with("lastSuccess", a.lastSuccess == 0 ? null : new java.util.Date(a.lastSuccess).toInstant().toString())
                    .with("pollIntervalMs", ClientInstances.pollMillis()).with("stalePolls", stalePolls));
        }
    }
}
