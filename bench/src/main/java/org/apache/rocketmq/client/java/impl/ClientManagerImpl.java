package org.apache.rocketmq.client.java.impl;

import apache.rocketmq.v2.SendMessageRequest;
import apache.rocketmq.v2.SendMessageResponse;
import org.apache.rocketmq.client.java.route.Endpoints;
import org.apache.rocketmq.client.java.rpc.RpcFuture;

import java.time.Duration;

/**
 * Stand-in for the gRPC client's ClientManagerImpl with sendMessage's 5.0.2+ descriptor, answering at once with one
 * future made up front (the bench measures the agent's part, not a future's allocation).
 */
public class ClientManagerImpl {
    /** Read (never on an RPC's path) by grpc.fix; the agent skips a release that lacks it. */
    private final java.util.Map<Endpoints, org.apache.rocketmq.client.java.rpc.RpcClientImpl> rpcClientTable =
            new java.util.HashMap<Endpoints, org.apache.rocketmq.client.java.rpc.RpcClientImpl>();
    private final java.util.concurrent.locks.ReadWriteLock rpcClientTableLock = new java.util.concurrent.locks.ReentrantReadWriteLock();

    private final RpcFuture<SendMessageRequest, SendMessageResponse> answered =
            new RpcFuture<SendMessageRequest, SendMessageResponse>(new SendMessageResponse());

    public RpcFuture<SendMessageRequest, SendMessageResponse> sendMessage(Endpoints endpoints, SendMessageRequest request, Duration duration) {
        return answered;
    }
}
