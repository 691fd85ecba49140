package org.apache.rocketmq.client.producer;

/** Bench stand-in. */
public enum LocalTransactionState {
    COMMIT_MESSAGE, ROLLBACK_MESSAGE, UNKNOW
}
