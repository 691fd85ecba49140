package io.rocketmqdoctor.advices.grpc;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gRPC client's failed RPCs say about the endpoint they went to. An RPC that kept failing at one endpoint
 * for grpc.failing-for (one client's calls, failures no further apart than that), with no success in between, is
 * grpc.endpoint-failing, once per endpoint and outcome (a hung
 * proxy fails every RPC alike: the first to cross the line names it): the client goes on retrying quietly (its log is
 * a file the operator rarely reads) while nothing is sent or received. A TLS handshake without HTTP/2 is
 * grpc.not-a-proxy at once: the endpoint is a name server's or a broker's remoting port (rocketmq-clients #281).
 * A success costs a read of its client's state and, after failures, one locked write; nothing is allocated.
 */
final class FailingEndpoints {
    static volatile long failingNanos = 30_000_000_000L;
    /** Fewer failures than this are a blip whatever their span (a proxy restart, a client shutting down). */
    static final int MIN_FAILURES = 5;
    /** Per RPC: failures in a row with one outcome, the first's time, the last's time, the outcome's hash. */
    private static final int SLOTS = 4;

    /**
     * Per endpoint, the streaks of each client (its ClientManagerImpl; a JVM's producer and consumer have one each, and
     * one client's successes say nothing of another's connection), found by identity: a success allocates nothing.
     */
    private static final class Clients {
        volatile Object[] managers = new Object[0];
        volatile long[][] streaks = new long[0][];

        long[] of(Object manager, boolean create) {
            Object[] m = managers;
            for (int i = 0; i < m.length; i++) if (m[i] == manager) return streaks[i];
            if (!create) return null;
            synchronized (this) {
                m = managers;
                for (int i = 0; i < m.length; i++) if (m[i] == manager) return streaks[i];
                Object[] grown = java.util.Arrays.copyOf(m, m.length + 1);
                long[][] s = java.util.Arrays.copyOf(streaks, m.length + 1);
                grown[m.length] = manager;
                s[m.length] = new long[SLOTS * GrpcCalls.RPCS.length];
                streaks = s;
                managers = grown;
                return s[m.length];
            }
        }
    }

    private static final ConcurrentHashMap<String, Clients> STATE = new ConcurrentHashMap<String, Clients>();

    private FailingEndpoints() {}

    static void succeeded(Object manager, String endpoint, int rpc) {
        Clients c = STATE.get(endpoint);
        long[] s = c == null ? null : c.of(manager, false);
        if (s == null || s[SLOTS * rpc] == 0) return;
        synchronized (s) {
            s[SLOTS * rpc] = 0;
        }
    }

    static void failed(Object manager, String endpoint, int rpc, String outcome, Object future) {
        long now = System.nanoTime();
        Clients c = STATE.get(endpoint);
        if (c == null) {
            Clients fresh = new Clients();
            c = STATE.putIfAbsent(endpoint, fresh);
            if (c == null) c = fresh;
        }
        long[] s = c.of(manager, true);
        int at = SLOTS * rpc;
        long n;
        long forNanos;
        synchronized (s) {
            // a new outcome, or a failure long after the last (an RPC made now and then): a new streak
            if (s[at] == 0 || s[at + 3] != outcome.hashCode() || now - s[at + 2] > failingNanos) {
                s[at] = 0;
                s[at + 1] = now;
                s[at + 3] = outcome.hashCode();
            }
            n = ++s[at];
            s[at + 2] = now;
            forNanos = now - s[at + 1];
        }
        String detail = null;
        if (outcome.equals("grpc UNAVAILABLE")) {
            detail = RpcFutures.detail(future);
            if (detail != null && detail.contains("ALPN")) notAProxy(endpoint, detail);
        }
        // a client saying goodbye to a proxy that is gone is no news
        if (rpc == GrpcCalls.TERMINATION) return;
        if (n >= MIN_FAILURES && forNanos >= failingNanos) {
            failing(endpoint, GrpcCalls.RPCS[rpc], outcome, detail != null ? detail : RpcFutures.detail(future), n, forNanos / 1_000_000L);
            if (outcome.equals("grpc DEADLINE_EXCEEDED")) ChannelReset.timedOut(manager, endpoint, GrpcCalls.RPCS[rpc], n, forNanos / 1_000_000L);
        }
    }

    private static void notAProxy(String endpoint, String detail) {
        Findings.report(Finding.of("grpc", GrpcFeature.NOT_A_PROXY, Severity.ERROR, endpoint,
                        "the gRPC client's endpoint " + endpoint + " is not a RocketMQ proxy: its TLS handshake offered no HTTP/2 ("
                                + detail + "), which is how a name server (9876) or a broker's remoting port answers; this client"
                                + " speaks only to a proxy's gRPC port, so it can send and receive nothing",
                        "set the client's endpoints to a proxy's gRPC port (grpcServerPort, 8081 by default; a broker started with"
                                + " the proxy in local mode serves it too), not to the name server")
                .with("endpoint", endpoint).with("error", detail));
    }

    private static void failing(String endpoint, String rpc, String outcome, String detail, long calls, long millis) {
        String why = outcome.equals("grpc DEADLINE_EXCEEDED")
                ? "the calls reach the endpoint and get no answer: a hung or paused proxy, or a half-open connection (the proxy"
                + " went away without closing it: 5.0.4 to 5.0.8 send no keepalive, and no release to 5.2.0 rebuilds the"
                + " channel after timeouts)"
                : outcome.equals("grpc UNAVAILABLE") ? "the endpoint refuses or drops the connection: the proxy is down, or the address,"
                + " port or TLS setting is wrong"
                : outcome.startsWith("rocketmq ") ? "the proxy answers and refuses the call; its answer says why"
                : "the calls fail in the client";
        Findings.report(Finding.of("grpc", GrpcFeature.ENDPOINT_FAILING, Severity.WARN, endpoint + "|" + outcome,
                        "every " + rpc + " call of the gRPC client to " + endpoint + " has failed for " + millis + " ms (" + calls
                                + " in a row, none succeeded): " + outcome + (detail == null ? "" : " (" + detail + ")") + "; " + why,
                        outcome.equals("grpc DEADLINE_EXCEEDED")
                                ? "check the proxy's process and host; if the proxy is healthy, set rocketmq.doctor.grpc.fix=true (it"
                                + " drops such a connection for a new one) or restart this client; rocketmq-client-java 5.0.4 to"
                                + " 5.0.8 send no keepalive (5.1.0 and later do)"
                                : outcome.startsWith("rocketmq ")
                                ? "fix what the answer names (a consumer group created on the brokers, the topic's message type,"
                                + " the broker's timerWheelEnable for pop consumption...)"
                                : "check that a proxy listens at " + endpoint + " and that the client's TLS setting matches it")
                .with("endpoint", endpoint).with("rpc", rpc).with("outcome", outcome).with("error", detail)
                .with("failures", calls).with("failingMs", millis));
    }
}
