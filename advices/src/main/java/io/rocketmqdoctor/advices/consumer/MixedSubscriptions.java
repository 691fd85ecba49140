package io.rocketmqdoctor.advices.consumer;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * On the broker: consumers of one group that subscribe to one topic with different expressions.
 * The broker keeps one subscription per group and topic, and each heartbeat overwrites it (ConsumerGroupInfo
 * .updateSubscription), so the consumers filter each other's messages away (apache/rocketmq #2836, #2954, #7717;
 * rocketmq-spring #679: several listeners sharing one group). Every heartbeat's subscriptions are compared with
 * those other clients of the group sent in the last two heartbeat periods and that the broker still lists in the
 * group: a consumer that left (shut down, its channel closed) is no longer compared, so a rolling update that
 * changes a group's subscription is not reported once the old consumers are gone.
 */
public final class MixedSubscriptions {
    static final long WINDOW_MS = 120_000;
    static final int MAX_KEYS = 4096;

    private static final class Seen {
        final String expression;
        final long at;

        Seen(String expression, long at) {
            this.expression = expression;
            this.at = at;
        }
    }

    /** "group|topic" -> client id -> its expression and when it was heard. */
    private static final Map<String, Map<String, Seen>> SEEN = new HashMap<String, Map<String, Seen>>();

    private MixedSubscriptions() {}

    /** Woven ConsumerManager.registerConsumer: a consumer's heartbeat with its subscriptions. */
    public static void registered(Object consumerManager, String group, Object clientChannelInfo, Set<?> subscriptions) throws Exception {
        if (subscriptions == null || subscriptions.isEmpty()) return;
        String client = String.valueOf(Reflect.call(clientChannelInfo, "getClientId"));
        Object info = Reflect.call(consumerManager, "getConsumerGroupInfo", group);
        Set<String> live = new java.util.HashSet<String>();
        if (info != null) for (Object id : (java.util.Collection<?>) Reflect.call(info, "getAllClientId")) live.add(String.valueOf(id));
        live.add(client);
        long now = System.currentTimeMillis();
        Set<String> topics = new TreeSet<String>();
        for (Object sd : subscriptions) {
            String topic = String.valueOf(Reflect.call(sd, "getTopic"));
            if (topic.startsWith("%RETRY%")) continue;
            topics.add(topic);
            String expression = String.valueOf(Reflect.call(sd, "getSubString"));
            Map<String, String> mixed = heard(group + "|" + topic, client, expression, now, live);
            if (mixed != null) report(group, topic, mixed);
        }
        // consumers of one group on different topics: each heartbeat's list replaces the group's, so the other
        // consumers' pulls are answered SUBSCRIPTION_NOT_EXIST until their own next heartbeat
        Map<String, String> mixedTopics = heard(group + "|", client, topics.toString(), now, live);
        if (mixedTopics != null) reportTopics(group, mixedTopics);
    }

    private static void reportTopics(String group, Map<String, String> byClient) {
        Findings.report(Finding.of("consumer", ConsumerFeature.MIXED_SUBSCRIPTIONS, Severity.ERROR, group + "|",
                "consumer group " + group + " has consumers subscribed to different topics " + new TreeSet<String>(byClient.values())
                        + ": each heartbeat replaces the group's topic list, so the others' pulls are refused (SUBSCRIPTION_NOT_EXIST) "
                        + "and their queues are balanced among consumers that do not subscribe to them",
                "give each subscription its own consumer group (one group per listener)")
                .with("group", group).with("topics", byClient));
    }

    /** The clients' expressions when they differ, else null. */
    static synchronized Map<String, String> heard(String key, String client, String expression, long now, Set<String> live) {
        Map<String, Seen> clients = SEEN.get(key);
        if (clients == null) {
            if (SEEN.size() >= MAX_KEYS) return null;
            SEEN.put(key, clients = new HashMap<String, Seen>());
        }
        clients.put(client, new Seen(expression, now));
        Set<String> expressions = new TreeSet<String>();
        Map<String, String> byClient = new LinkedHashMap<String, String>();
        for (Iterator<Map.Entry<String, Seen>> it = clients.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Seen> e = it.next();
            if (now - e.getValue().at > WINDOW_MS || !live.contains(e.getKey())) {
                it.remove();
                continue;
            }
            expressions.add(e.getValue().expression);
            byClient.put(e.getKey(), e.getValue().expression);
        }
        return expressions.size() > 1 ? byClient : null;
    }

    private static void report(String group, String topic, Map<String, String> byClient) {
        Findings.report(Finding.of("consumer", ConsumerFeature.MIXED_SUBSCRIPTIONS, Severity.ERROR, group + "|" + topic,
                "consumer group " + group + " subscribes to " + topic + " with different expressions " + new TreeSet<String>(byClient.values())
                        + ": the broker keeps one per group and each heartbeat replaces it, so the consumers filter each other's messages "
                        + "away and part of them reach nobody that wanted them",
                "give each subscription its own consumer group (one group per listener)")
                .with("group", group).with("topic", topic).with("subscriptions", byClient));
    }

    /** Detach. */
    static synchronized void reset() {
        SEEN.clear();
    }
}
