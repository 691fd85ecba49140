package org.apache.rocketmq.store;

/** Bench stand-in: a pull (4.x's getMessage) answered at once with 32 messages found. */
public class DefaultMessageStore {
    private final GetMessageResult result = new GetMessageResult();

    public GetMessageResult getMessage(String group, String topic, int queueId, long offset, int maxMsgNums, MessageFilter messageFilter) {
        result.setNextBeginOffset(offset + maxMsgNums);
        result.setMaxOffset(offset + 1000);
        return result;
    }

    public long getMaxOffsetInQueue(String topic, int queueId) {
        return result.getMaxOffset();
    }
}
