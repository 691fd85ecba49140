package org.apache.rocketmq.remoting.protocol;

/** Bench stand-in: RocketMQ's request type, as far as the agent's advice reads it (code, opaque). */
public class RemotingCommand {
    private final int code;
    private int opaque;

    public RemotingCommand(int code) {
        this.code = code;
    }

    public int getCode() {
        return code;
    }

    public String getRemark() {
        return null;
    }

    public int getOpaque() {
        return opaque;
    }

    /** RocketMQ numbers every request from one counter; the bench reuses one command and numbers it itself. */
    public void setOpaque(int opaque) {
        this.opaque = opaque;
    }
}
