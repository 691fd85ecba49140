package org.apache.rocketmq.remoting.netty;

/**
 * Bench stand-in: RocketMQ's in-flight request, as far as the agent's advice reads it (its opaque) when its
 * callback runs. Reused by the bench (the opaque is set per request), so the bench itself allocates nothing.
 */
public class ResponseFuture {
    private int opaque;

    public void setOpaque(int opaque) {
        this.opaque = opaque;
    }

    public void executeInvokeCallback() {
    }
}
