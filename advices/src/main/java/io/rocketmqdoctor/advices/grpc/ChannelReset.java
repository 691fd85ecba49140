package io.rocketmqdoctor.advices.grpc;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * grpc.fix: a connection that only times out is dropped, what upstream master does after consecutive heartbeat
 * timeouts (rocketmq-clients #1310, in no release to 5.2.0): the endpoint's channel is sent to idle
 * ({@code ManagedChannel.enterIdle()}), so the calls already on it run out and the next call makes a new connection.
 * Only an endpoint where one RPC has timed out grpc.failing-for long, 5 times or more and with no success in between,
 * and at most once per grpc.failing-for per endpoint and client: a healthy channel is never touched, and a proxy that is really
 * down costs one idle channel per period. What is in flight is not cancelled: nothing a call has sent is sent twice by
 * the agent.
 */
final class ChannelReset {
    static volatile boolean fix;
    private static final ConcurrentHashMap<String, Long> LAST = new ConcurrentHashMap<String, Long>();

    private ChannelReset() {}

    /** After a failure that crossed the line: resets the endpoint's channel when the fix is on and this is its turn. */
    static void timedOut(Object manager, String endpoint, String rpc, long calls, long millis) {
        if (!fix || manager == null) return;
        long now = System.nanoTime();
        // each client (producer, consumer) of a JVM has its own manager and its own channels
        String key = endpoint + "#" + Integer.toHexString(System.identityHashCode(manager));
        Long last = LAST.get(key);
        if (last != null && now - last < FailingEndpoints.failingNanos) return;
        if (last == null ? LAST.putIfAbsent(key, now) != null : !LAST.replace(key, last, now)) return;
        String done;
        try {
            done = reset(manager, endpoint);
        } catch (Exception e) {
            done = "could not: " + e;
        }
        boolean reset = done.startsWith("reset");
        Findings.report(Finding.of("grpc", GrpcFeature.CHANNEL_RESET, reset ? Severity.INFO : Severity.WARN, key,
                        "grpc.fix " + (reset ? "sent the gRPC client's connection to " + endpoint + " to idle" : "did not reset the connection to " + endpoint)
                                + " after every " + rpc + " call timed out for " + millis + " ms (" + calls + " in a row): " + done
                                + (reset ? "; the calls on the old connection run out, the next ones make a new connection" : ""),
                        reset ? "if the finding repeats, the proxy itself does not answer: check its process and host"
                                : "restart the client to get a new connection")
                .with("endpoint", endpoint).with("rpc", rpc).with("failures", calls).with("failingMs", millis));
    }

    /** ClientManagerImpl.rpcClientTable: Endpoints to RpcClientImpl, whose channel is the relocated gRPC's ManagedChannel. */
    private static String reset(Object manager, String endpoint) throws Exception {
        Map<?, ?> table = (Map<?, ?>) Reflect.field(manager, "rpcClientTable");
        int reset = 0;
        // every client of that address: the access point and a route's endpoint can be two keys that print alike
        for (Object[] e : entries(manager, table)) {
            if (!String.valueOf(e[0]).equals(endpoint)) continue;
            Reflect.call(Reflect.field(e[1], "channel"), "enterIdle");
            reset++;
        }
        return reset == 0 ? "no channel for it in the client (or its table was busy)"
                : "reset: asked " + reset + " channel" + (reset == 1 ? "" : "s") + " to go idle (ManagedChannel.enterIdle)";
    }

    /** A copy of the table's entries, read under the client's own read lock (the table is a HashMap it guards). */
    private static java.util.List<Object[]> entries(Object manager, Map<?, ?> table) throws Exception {
        java.util.concurrent.locks.Lock lock = ((java.util.concurrent.locks.ReadWriteLock) Reflect.field(manager, "rpcClientTableLock")).readLock();
        java.util.List<Object[]> l = new java.util.ArrayList<Object[]>();
        if (!lock.tryLock(100, java.util.concurrent.TimeUnit.MILLISECONDS)) return l;
        try {
            for (Map.Entry<?, ?> e : table.entrySet()) l.add(new Object[]{e.getKey(), e.getValue()});
        } finally {
            lock.unlock();
        }
        return l;
    }
}
