package org.apache.rocketmq.remoting.protocol;

/** Bench stand-in: RocketMQ's request type, as far as the agent's advice reads it. */
public class RemotingCommand {
    private final int code;

    public RemotingCommand(int code) {
        this.code = code;
    }

    public int getCode() {
        return code;
    }
}
