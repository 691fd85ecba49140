package org.apache.rocketmq.remoting.exception;

/** Bench stand-in: the exception the agent counts as a peer's timeout (matched by class name). */
public class RemotingTimeoutException extends Exception {
    public RemotingTimeoutException(String message) {
        super(message);
    }
}
