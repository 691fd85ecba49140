package org.apache.rocketmq.client.java.rpc;

/** Stand-in for the gRPC client's RpcClientImpl: the field grpc.fix reads (its relocated ManagedChannel in the client). */
public class RpcClientImpl {
    private final org.apache.rocketmq.shaded.io.grpc.ManagedChannel channel = null;
}
