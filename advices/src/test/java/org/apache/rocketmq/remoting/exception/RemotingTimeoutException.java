package org.apache.rocketmq.remoting.exception;

/** Test stand-in with RocketMQ's class name: the remoting feature tells timeouts by it. */
public class RemotingTimeoutException extends Exception {
    public RemotingTimeoutException(String message) {
        super(message);
    }
}
