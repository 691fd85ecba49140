package org.apache.rocketmq.store;

/** Bench stand-in: the members the offsets feature reads of a pull's answer. */
public class GetMessageResult {
    private GetMessageStatus status = GetMessageStatus.FOUND;
    private long nextBeginOffset;
    private long minOffset;
    private long maxOffset;

    public GetMessageStatus getStatus() { return status; }
    public long getNextBeginOffset() { return nextBeginOffset; }
    public void setNextBeginOffset(long nextBeginOffset) { this.nextBeginOffset = nextBeginOffset; }
    public long getMinOffset() { return minOffset; }
    public long getMaxOffset() { return maxOffset; }
    public void setMaxOffset(long maxOffset) { this.maxOffset = maxOffset; }
}
