package org.apache.rocketmq.common.message;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Bench stand-in: the members the agent reads of a stored message. */
public class MessageExt extends Message {
    private final SocketAddress bornHost = new InetSocketAddress("127.0.0.1", 50000);
    private long bornTimestamp;

    public MessageExt(String topic) {
        super(topic);
    }

    public long getBornTimestamp() { return bornTimestamp; }
    public void setBornTimestamp(long bornTimestamp) { this.bornTimestamp = bornTimestamp; }
    public SocketAddress getBornHost() { return bornHost; }
    public long getStoreTimestamp() { return bornTimestamp; }
    public int getReconsumeTimes() { return 0; }
    public int getQueueId() { return 0; }
    public String getMsgId() { return "7F0000010000000000000000"; }
}
