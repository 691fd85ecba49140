package org.apache.rocketmq.remoting;

/** Bench stand-in for the async callback type in invokeAsync's descriptor. */
public interface InvokeCallback {
}
