package org.apache.rocketmq.common;

/** Stand-in: RocketMQ's VIP address (port - 2), which every send of a 4.x/5.x client asks for. */
public class MixAll {
    public static String brokerVIPChannel(boolean isChange, String brokerAddr) {
        if (isChange) {
            int split = brokerAddr.lastIndexOf(':');
            return brokerAddr.substring(0, split) + ":" + (Integer.parseInt(brokerAddr.substring(split + 1)) - 2);
        }
        return brokerAddr;
    }
}
