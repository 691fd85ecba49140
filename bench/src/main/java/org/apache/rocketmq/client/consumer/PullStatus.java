package org.apache.rocketmq.client.consumer;

/** Bench stand-in. */
public enum PullStatus {
    FOUND, NO_NEW_MSG, NO_MATCHED_MSG, OFFSET_ILLEGAL
}
