package org.apache.rocketmq.client.consumer;

/** Bench stand-in: a pull's result as the client sees it. */
public class PullResult {
    public PullStatus getPullStatus() { return PullStatus.FOUND; }
    public long getNextBeginOffset() { return 32; }
    public long getMinOffset() { return 0; }
    public long getMaxOffset() { return 1000; }
}
