package org.apache.rocketmq.remoting.netty;

import org.apache.rocketmq.remoting.protocol.RemotingCommand;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bench stand-in with NettyRemotingClient's name, fields and invokeSync descriptor, answering at once, so
 * that JMH measures what the real agent's real advice adds to a call and nothing else. The jar carries
 * rocketmq-remoting's pom.properties (4.9.7), so the agent recognises and weaves it as the real class.
 */
public class NettyRemotingClient {
    private final AtomicReference<List<String>> namesrvAddrList = new AtomicReference<List<String>>(Arrays.asList("127.0.0.1:9876"));
    private final AtomicReference<String> namesrvAddrChoosed = new AtomicReference<String>("127.0.0.1:9876");
    private final RemotingCommand response = new RemotingCommand(0);

    public RemotingCommand invokeSync(String addr, RemotingCommand request, long timeoutMillis) throws InterruptedException {
        return response;
    }
}
