package org.apache.rocketmq.common.protocol.heartbeat;

/** Bench stand-in (4.x's package). */
public class SubscriptionData {
}
