package io.rocketmqdoctor.advices.consumer;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Seen from a consumer: the broker keeps one subscription per group and topic, the one of the
 * heartbeat with the newest subscription (or, for topics, the last heartbeat's list), and filters every pull of the
 * group with it. A consumer whose own expression is not the broker's misses what it asked for, or filters away what
 * it did not (its queues' offsets advance past them either way); a topic the broker does not keep for the group gets
 * SUBSCRIPTION_NOT_EXIST on every pull. Every consumer.subscription-check the agent's thread asks the brokers of the
 * consumer's queues what they keep for its group (the admin call GET_CONSUMER_CONNECTION_LIST, one per broker, 1 s
 * timeout) and compares it with the consumer's own subscriptions.
 */
final class SubscriptionCheck {
    static volatile long periodMillis = 60_000;
    static final int MAX_BROKERS = 4;
    private static long lastCheck;

    private SubscriptionCheck() {}

    static void check(Iterable<Object> consumers) {
        long now = System.currentTimeMillis();
        if (periodMillis <= 0 || now - lastCheck < periodMillis) return;
        lastCheck = now;
        for (Object impl : consumers) {
            try {
                consumer(impl);
            } catch (Exception e) {
                // a broker that does not answer, or denies the admin call: the broker-side check still sees it
            }
        }
    }

    private static void consumer(Object impl) throws Exception {
        if (!PushConsumerReads.running(impl)) return;
        String group = PushConsumerReads.group(impl);
        Map<?, ?> mine = (Map<?, ?>) Reflect.call(Reflect.call(impl, "getRebalanceImpl"), "getSubscriptionInner");
        Object factory = Reflect.call(impl, "getmQClientFactory");
        Set<String> brokers = new TreeSet<String>();
        for (Object mq : PushConsumerReads.processQueues(impl).keySet()) {
            if (brokers.size() < MAX_BROKERS) brokers.add(String.valueOf(Reflect.call(mq, "getBrokerName")));
        }
        for (String brokerName : brokers) {
            Object addr = Reflect.call(factory, "findBrokerAddressInPublish", brokerName);
            if (addr == null) continue;
            Object connection = Reflect.call(Reflect.call(factory, "getMQClientAPIImpl"), "getConsumerConnectionList", addr, group, 1000L);
            Map<?, ?> kept = (Map<?, ?>) Reflect.call(connection, "getSubscriptionTable");
            for (Map.Entry<?, ?> e : mine.entrySet()) {
                String topic = String.valueOf(e.getKey());
                if (topic.startsWith("%RETRY%")) continue;
                String own = String.valueOf(Reflect.call(e.getValue(), "getSubString"));
                Object theirs = kept.get(topic);
                String brokerExpression = theirs == null ? null : String.valueOf(Reflect.call(theirs, "getSubString"));
                if (own.equals(brokerExpression)) continue;
                report(group, topic, own, brokerExpression, brokerName, kept.keySet(), connection);
            }
        }
    }

    private static void report(String group, String topic, String own, String brokerExpression, String broker, Set<?> brokerTopics,
                               Object connection) throws Exception {
        Set<String> topics = new TreeSet<String>();
        for (Object t : brokerTopics) if (!String.valueOf(t).startsWith("%RETRY%")) topics.add(String.valueOf(t));
        Set<String> clients = new TreeSet<String>();
        for (Object c : (Set<?>) Reflect.call(connection, "getConnectionSet")) clients.add(String.valueOf(Reflect.call(c, "getClientId")));
        String what = brokerExpression == null
                ? "the broker keeps no subscription to " + topic + " for the group (another consumer of the group subscribes to "
                        + topics + "), so its pulls are answered SUBSCRIPTION_NOT_EXIST"
                : "the broker filters the group's pulls of " + topic + " with '" + brokerExpression + "', another consumer's expression, "
                        + "so messages this consumer asked for go to nobody or it filters away messages it was given";
        Findings.report(Finding.of("consumer", ConsumerFeature.SUBSCRIPTION_OVERRIDDEN, Severity.ERROR, group + "|" + topic + "|" + broker,
                "consumer group " + group + ": this consumer subscribes to " + topic + " with '" + own + "', but on broker " + broker + " "
                        + what + " (consumers of the group: " + clients + ")",
                "give each subscription its own consumer group (several listeners must not share a group)")
                .with("group", group).with("topic", topic).with("expression", own).with("brokerExpression", brokerExpression)
                .with("broker", broker).with("clients", clients));
    }

    /** Detach. */
    static void reset() {
        lastCheck = 0;
    }
}
