package org.apache.rocketmq.client.impl;

import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/** Stand-in: a send's answer turned into its result (5.x's descriptor); a SUCCESS answer, so the advice only looks. */
public class MQClientAPIImpl {
    private final Object result = new Object();

    public Object processSendResponse(String brokerName, Message msg, RemotingCommand response, String addr) {
        return result;
    }
}
