package org.apache.rocketmq.client.impl.factory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Bench stand-in: the consumer id list comes back at once instead of from a broker. */
public class MQClientInstance {
    private final List<String> ids = Arrays.asList("10.0.0.1@a", "10.0.0.2@b");

    public List<String> findConsumerIdList(String topic, String group) {
        return new ArrayList<String>(ids);
    }

    public String getClientId() { return "10.0.0.1@a"; }
}
