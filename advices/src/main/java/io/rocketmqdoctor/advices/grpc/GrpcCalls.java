package io.rocketmqdoctor.advices.grpc;

import io.rocketmqdoctor.histo.Counters;
import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@link GrpcAdvice} reports an RPC the gRPC client started, and where it is timed: a pooled listener
 * ({@link Completion}) on the future the RPC method returned records the time to its completion and, for one that
 * failed, its outcome. Once an endpoint's recorders exist nothing is allocated per call on success; a failure
 * allocates its outcome's text and counter lookup.
 */
public final class GrpcCalls {
    /** ClientManagerImpl's RPC methods; the label is the proto's RPC name ({@link #RPCS}). */
    static final String[] METHODS = {"queryRoute", "heartbeat", "sendMessage", "queryAssignment", "receiveMessage",
            "ackMessage", "changeInvisibleDuration", "forwardMessageToDeadLetterQueue", "endTransaction",
            "notifyClientTermination", "recallMessage", "syncLiteSubscription"};
    static final String[] RPCS = {"QueryRoute", "Heartbeat", "SendMessage", "QueryAssignment", "ReceiveMessage",
            "AckMessage", "ChangeInvisibleDuration", "ForwardMessageToDeadLetterQueue", "EndTransaction",
            "NotifyClientTermination", "RecallMessage", "SyncLiteSubscription"};
    /** The client release that added the method, or null for one every release has. */
    static final String[] SINCE = {null, null, null, null, null, null, null, null, null, null, "5.0.8", "5.1.0"};
    static final int RECEIVE = 4;
    static final int TERMINATION = 9;

    private static final ConcurrentHashMap<String, LatencyRecorder[]> BY_ENDPOINT = new ConcurrentHashMap<String, LatencyRecorder[]>();

    private GrpcCalls() {}

    public static void started(String method, Object manager, Object endpoints, Object future, long start) {
        int rpc = rpc(method);
        if (rpc < 0 || future == null) return;
        Completion c = Completion.acquire();
        c.set(rpc, manager, String.valueOf(endpoints), future, start);
        boolean listening = false;
        try {
            listening = RpcFutures.whenDone(future, c);
        } finally {
            if (!listening) c.release(); // a future it could not listen to keeps no slot of the pool
        }
    }

    /** 5.0.0's receive: the endpoint of the queue's broker (MessageQueueImpl.getBroker().getEndpoints()). */
    public static void receiveStarted(Object queue, Object future, long start) {
        Object endpoints;
        try {
            endpoints = RpcFutures.endpointsOf(queue);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        started(METHODS[RECEIVE], null, endpoints, future, start);
    }

    /** The woven method's name is a constant string of the class file: compared by identity first. */
    static int rpc(String method) {
        for (int i = 0; i < METHODS.length; i++) if (METHODS[i] == method || METHODS[i].equals(method)) return i;
        return -1;
    }

    static void finished(int rpc, Object manager, String endpoint, Object future, long start) throws Throwable {
        recorder(endpoint, rpc).record(System.nanoTime() - start);
        String outcome = RpcFutures.failure(future, rpc == RECEIVE);
        if (outcome == null) {
            FailingEndpoints.succeeded(manager, endpoint, rpc);
        } else {
            Counters.get(GrpcFeature.FAILED, FAILED_HELP, "endpoint", endpoint, "rpc", RPCS[rpc], "outcome", outcome).increment();
            FailingEndpoints.failed(manager, endpoint, rpc, outcome, future);
        }
    }

    private static final String FAILED_HELP = "RPCs of RocketMQ 5's gRPC client that failed, by gRPC status or RocketMQ code";

    private static LatencyRecorder recorder(String endpoint, int rpc) {
        LatencyRecorder[] byRpc = BY_ENDPOINT.get(endpoint);
        if (byRpc == null) {
            LatencyRecorder[] fresh = new LatencyRecorder[RPCS.length];
            byRpc = BY_ENDPOINT.putIfAbsent(endpoint, fresh);
            if (byRpc == null) byRpc = fresh;
        }
        LatencyRecorder r = byRpc[rpc];
        if (r == null) byRpc[rpc] = r = Histograms.get(GrpcFeature.CLIENT_HISTOGRAM, "endpoint", endpoint, "rpc", RPCS[rpc]);
        return r;
    }
}
