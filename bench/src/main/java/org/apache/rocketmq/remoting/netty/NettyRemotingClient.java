package org.apache.rocketmq.remoting.netty;

import org.apache.rocketmq.remoting.InvokeCallback;
import org.apache.rocketmq.remoting.exception.RemotingTimeoutException;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bench stand-in with NettyRemotingClient's name, fields and invokeSync/invokeAsync descriptors, answering at once,
 * so that JMH measures what the real agent's real advice adds to a call and nothing else. The jar carries
 * rocketmq-remoting's pom.properties (4.9.7), so the agent recognises and weaves it as the real class. It has the
 * members the remoting feature reads by reflection (the installer checks them before weaving); a request to
 * {@link #HUNG} times out, as a hung name server's would.
 */
public class NettyRemotingClient {
    public static final String HUNG = "127.0.0.1:9877";
    private final AtomicReference<List<String>> namesrvAddrList = new AtomicReference<List<String>>(Arrays.asList("127.0.0.1:9876", HUNG));
    private final AtomicReference<String> namesrvAddrChoosed = new AtomicReference<String>("127.0.0.1:9876");
    private final Object nettyClientConfig = new Object();
    private final ConcurrentHashMap<String, ChannelWrapper> channelTables = new ConcurrentHashMap<String, ChannelWrapper>();
    private final RemotingCommand response = new RemotingCommand(0);

    public RemotingCommand invokeSync(String addr, RemotingCommand request, long timeoutMillis)
            throws InterruptedException, RemotingTimeoutException {
        if (HUNG.equals(addr)) throw new RemotingTimeoutException("wait response on the channel <" + addr + "> timeout");
        return response;
    }

    public void invokeAsync(String addr, RemotingCommand request, long timeoutMillis, InvokeCallback invokeCallback) {
    }

    public void closeChannel(String addr, Object channel) {
    }

    static final class ChannelWrapper {
        Object getChannelFuture() {
            return null;
        }

        boolean isOK() {
            return false;
        }
    }
}
