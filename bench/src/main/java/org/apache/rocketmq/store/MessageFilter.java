package org.apache.rocketmq.store;

/** Bench stand-in: a pull's filter (none in the benchmark). */
public interface MessageFilter {
}
