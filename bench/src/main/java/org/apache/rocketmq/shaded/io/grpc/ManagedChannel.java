package org.apache.rocketmq.shaded.io.grpc;

/** Stand-in for the gRPC client's relocated ManagedChannel: the method grpc.fix calls (never on an RPC's path). */
public abstract class ManagedChannel {
    public void enterIdle() {}
}
