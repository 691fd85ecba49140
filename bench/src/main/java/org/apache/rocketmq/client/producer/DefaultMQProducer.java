package org.apache.rocketmq.client.producer;

/** Bench stand-in: the producer's group. */
public class DefaultMQProducer {
    public String getProducerGroup() { return "bench-tx"; }
}
