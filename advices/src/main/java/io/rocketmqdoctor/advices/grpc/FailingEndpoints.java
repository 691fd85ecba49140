package io.rocketmqdoctor.advices.grpc;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gRPC client's failed RPCs say about the endpoint they went to. An RPC that kept failing at one endpoint
 * for grpc.failing-for, with no success in between, is grpc.endpoint-failing, once per endpoint and outcome (a hung
 * proxy fails every RPC alike: the first to cross the line names it): the client goes on retrying quietly (its log is
 * a file the operator rarely reads) while nothing is sent or received. A TLS handshake without HTTP/2 is
 * grpc.not-a-proxy at once: the endpoint is a name server's or a broker's remoting port (rocketmq-clients #281).
 * A success costs a read of the endpoint's state and, after failures, one write; nothing is allocated.
 */
final class FailingEndpoints {
    static volatile long failingNanos = 30_000_000_000L;
    /** Fewer failures than this are a blip whatever their span (a proxy restart, a client shutting down). */
    static final int MIN_FAILURES = 5;

    /**
     * Per endpoint, per RPC: failures in a row with one outcome, the time of the first, and the outcome's hash ([3 * rpc],
     * [3 * rpc + 1], [3 * rpc + 2]): a streak of timeouts that turns into refusals is two causes, each told by its own.
     */
    private static final ConcurrentHashMap<String, long[]> STATE = new ConcurrentHashMap<String, long[]>();

    private FailingEndpoints() {}

    static void succeeded(String endpoint, int rpc) {
        long[] s = STATE.get(endpoint);
        if (s != null && s[3 * rpc] != 0) s[3 * rpc] = 0;
    }

    static void failed(Object manager, String endpoint, int rpc, String outcome, Object future) {
        long now = System.nanoTime();
        long[] s = STATE.get(endpoint);
        if (s == null) {
            long[] fresh = new long[3 * GrpcCalls.RPCS.length];
            s = STATE.putIfAbsent(endpoint, fresh);
            if (s == null) s = fresh;
        }
        if (s[3 * rpc + 2] != outcome.hashCode()) {
            s[3 * rpc] = 0;
            s[3 * rpc + 2] = outcome.hashCode();
        }
        long n = ++s[3 * rpc];
        if (n == 1) s[3 * rpc + 1] = now;
        String detail = null;
        if (outcome.equals("grpc UNAVAILABLE")) {
            detail = RpcFutures.detail(future);
            if (detail != null && detail.contains("ALPN")) notAProxy(endpoint, detail);
        }
        long forNanos = now - s[3 * rpc + 1];
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
                                + " drops such a connection for a new one) or restart this client, and upgrade rocketmq-client-java"
                                + " to 5.1.0 or later (keepalive)"
                                : outcome.startsWith("rocketmq ")
                                ? "fix what the answer names (a consumer group created on the brokers, the topic's message type,"
                                + " the broker's timerWheelEnable for pop consumption...)"
                                : "check that a proxy listens at " + endpoint + " and that the client's TLS setting matches it")
                .with("endpoint", endpoint).with("rpc", rpc).with("outcome", outcome).with("error", detail)
                .with("failures", calls).with("failingMs", millis));
    }
}
