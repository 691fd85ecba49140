package io.rocketmqdoctor.advices.rebalance;

import io.rocketmqdoctor.advices.Reflect;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.Arrays;
import java.util.HashSet;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Incident 1. The broker keeps one consumer entry per channel, so N processes with one client id come back
 * as the same id N times; AllocateMessageQueueAveragely uses cidAll.indexOf(currentCID), every twin gets
 * index 0 and the same queues, and the queues meant for the others are never pulled. This judges the
 * result: it replays the consumer's own allocation strategy for every distinct id in the list (a pure
 * function of group, id, queues and ids) and names the queues nobody is given.
 */
public final class TwinConsumerDetector {
    private static final ThreadLocal<Object[]> LAST_IDS = new ThreadLocal<Object[]>();
    private static final ConcurrentHashMap<String, ArrayDeque<Long>> CHANGES = new ConcurrentHashMap<String, ArrayDeque<Long>>();
    private static final ConcurrentHashMap<String, String> LAST_ASSIGNMENT = new ConcurrentHashMap<String, String>();
    /** group|topic|id: when this consumer was found missing from the list, within MISSING_WINDOW_MS. */
    private static final ConcurrentHashMap<String, ArrayDeque<Long>> MISSES = new ConcurrentHashMap<String, ArrayDeque<Long>>();
    /**
     * A consumer is missing from its group's list when two answers at least a heartbeat interval (30 s by default)
     * apart, within 90 s, leave it out. One answer is not enough: a consumer's first rebalance can run before its first
     * heartbeat reached the broker (4.x registers it in its client instance first, and a rebalance of the instance, or
     * one the broker's notice of another member starts, can come between). A listed answer does not start over: each
     * rebalance asks a broker picked at random, and one broker that never lists the consumer must still be found.
     */
    static volatile long missingGraceMillis = 30_000;
    static final long MISSING_WINDOW_MS = 90_000;
    static volatile int flappingChanges = 5;
    static volatile long flappingWindowMillis = 300_000;

    /** Detach: the next attach judges flapping from its own observations. */
    static void reset() {
        CHANGES.clear();
        LAST_ASSIGNMENT.clear();
        MISSES.clear();
    }

    private TwinConsumerDetector() {}

    public static void consumerIds(String topic, String group, Object ids) {
        LAST_IDS.set(new Object[]{topic, group, ids == null ? null : new ArrayList<Object>((Collection<?>) ids)});
    }

    public static void assigned(Object rebalance, String topic, Object mqSet) throws Exception {
        Object[] last = LAST_IDS.get();
        LAST_IDS.remove();
        String group = (String) Reflect.field(rebalance, "consumerGroup");
        // only a clustering rebalance asks for the id list just before; broadcasting and 5.x POP do not
        if (last == null || !topic.equals(last[0]) || !group.equals(last[1]) || last[2] == null) return;
        @SuppressWarnings("unchecked") List<String> cidAll = (List<String>) last[2];
        Object factory = Reflect.field(rebalance, "mQClientFactory");
        String me = (String) factory.getClass().getMethod("getClientId").invoke(factory);
        Set<?> all = (Set<?>) ((Map<?, ?>) Reflect.field(rebalance, "topicSubscribeInfoTable")).get(topic);
        if (all == null) return;
        List<Object> mqAll = sorted(all);
        List<String> mine = names((Collection<?>) mqSet);

        Map<String, Integer> counts = new TreeMap<String, Integer>();
        for (String id : cidAll) counts.put(id, counts.containsKey(id) ? counts.get(id) + 1 : 1);
        List<String> duplicates = new ArrayList<String>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) if (e.getValue() > 1) duplicates.add(e.getKey() + " x" + e.getValue());

        Object strategy = Reflect.field(rebalance, "allocateMessageQueueStrategy");
        List<String> orphans = coversEveryQueue(strategy) ? orphans(strategy, group, mqAll, cidAll) : Collections.<String>emptyList();
        String cause = group + "|" + topic;
        if (!duplicates.isEmpty()) {
            report(RebalanceFeature.DUPLICATE_CLIENT_ID, Severity.ERROR, cause,
                    "consumer group " + group + " on topic " + topic + " lists one client id for several consumers (" + String.join(", ", duplicates)
                            + "): they are given the same queues" + (orphans.isEmpty() ? "" : " and " + orphans.size() + " queue(s) are consumed by nobody"),
                    "give each consumer process a unique instanceName (or -Drocketmq.client.name), or set rocketmq.doctor.clientid.fix=true; "
                            + "then the queues are shared again", group, topic, cidAll, me, mine, orphans, duplicates);
        }
        if (!orphans.isEmpty()) {
            report(RebalanceFeature.ORPHANED_QUEUES, Severity.ERROR, cause,
                    orphans.size() + " of " + mqAll.size() + " queues of topic " + topic + " are given to no consumer of group " + group
                            + ": " + String.join(", ", orphans) + "; their backlog grows",
                    duplicates.isEmpty() ? "check the allocation strategy and the consumer id list in the evidence"
                            : "make the consumer ids unique (rebalance.duplicate-client-id)", group, topic, cidAll, me, mine, orphans, duplicates);
        }
        if (missingTooLong(cause + "|" + me, cidAll.contains(me), System.currentTimeMillis())) {
            report(RebalanceFeature.NOT_IN_CONSUMER_LIST, Severity.WARN, cause + "|" + me,
                    "this consumer (" + me + ") is not in the consumer list the broker gave for group " + group + " on topic " + topic
                            + ", so it is given no queues",
                    "check that its heartbeats reach the broker (network, ACL) and that its group and subscription match the others'",
                    group, topic, cidAll, me, mine, orphans, duplicates);
        }
        flapping(group, topic, me, mine);
    }

    /** Whether this answer, with the earlier ones, makes the consumer missing (see {@link #MISSES}). */
    static boolean missingTooLong(String key, boolean listed, long now) {
        if (listed) return false;
        ArrayDeque<Long> misses = MISSES.get(key);
        if (misses == null) {
            if (MISSES.size() >= 1024) return false;
            ArrayDeque<Long> fresh = new ArrayDeque<Long>();
            misses = MISSES.putIfAbsent(key, fresh);
            if (misses == null) misses = fresh;
        }
        synchronized (misses) {
            while (!misses.isEmpty() && now - misses.peekFirst() > MISSING_WINDOW_MS) misses.pollFirst();
            misses.addLast(now);
            return now - misses.peekFirst() >= missingGraceMillis;
        }
    }

    /**
     * RocketMQ's strategies that hand out every queue whatever the ids are. Others leave queues unassigned on purpose
     * (AllocateMessageQueueByConfig, ByMachineRoom) or keep state (custom ones): replaying them for ids that are
     * not this consumer would call orphans what the strategy meant, so their orphans are not judged.
     */
    static final Set<String> COMPLETE_STRATEGIES = new HashSet<String>(Arrays.asList(
            "org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely",
            "org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragelyByCircle",
            "org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueConsistentHash"));

    static boolean coversEveryQueue(Object strategy) {
        return strategy != null && COMPLETE_STRATEGIES.contains(strategy.getClass().getName());
    }

    /** The queues the consumer's own strategy gives to no distinct id in the list. */
    static List<String> orphans(Object strategy, String group, List<Object> mqAll, List<String> cidAll) throws Exception {
        Method allocate = strategy.getClass().getMethod("allocate", String.class, String.class, List.class, List.class);
        List<String> sortedIds = new ArrayList<String>(cidAll);
        Collections.sort(sortedIds);
        Set<Object> covered = new LinkedHashSet<Object>();
        for (String id : new LinkedHashSet<String>(sortedIds)) {
            Object r = allocate.invoke(strategy, group, id, mqAll, sortedIds);
            if (r != null) covered.addAll((Collection<?>) r);
        }
        List<Object> left = new ArrayList<Object>(mqAll);
        left.removeAll(covered);
        return names(left);
    }

    private static void flapping(String group, String topic, String me, List<String> mine) {
        String key = group + "|" + topic + "|" + me;
        String now = mine.toString();
        String before = LAST_ASSIGNMENT.put(key, now);
        if (before == null || before.equals(now)) return;
        ArrayDeque<Long> times = CHANGES.get(key);
        if (times == null) {
            ArrayDeque<Long> fresh = new ArrayDeque<Long>();
            times = CHANGES.putIfAbsent(key, fresh);
            if (times == null) times = fresh;
        }
        long t = System.currentTimeMillis();
        int n;
        synchronized (times) {
            times.addLast(t);
            while (!times.isEmpty() && t - times.peekFirst() > flappingWindowMillis) times.removeFirst();
            n = times.size();
        }
        if (n > flappingChanges) {
            Findings.report(Finding.of("rebalance", RebalanceFeature.FLAPPING, Severity.WARN, key,
                    "the queues of consumer " + me + " in group " + group + " on topic " + topic + " changed " + n + " times in "
                            + flappingWindowMillis / 60_000 + " min: consumers keep joining and leaving",
                    "look for consumers that restart or lose their heartbeat (GC pauses, network), or twins with one client id")
                    .with("group", group).with("topic", topic).with("clientId", me).with("changes", n).with("queues", mine));
        }
    }

    /** The finding whole (every piece of evidence) before it is reported: the first line written has it all. */
    private static Finding report(String code, Severity severity, String cause, String message, String remedy, String group,
                                  String topic, List<String> cidAll, String me, List<String> mine, List<String> orphans,
                                  List<String> duplicates) {
        Finding f = Finding.of("rebalance", code, severity, cause, message, remedy)
                .with("group", group).with("topic", topic).with("consumerIds", cidAll).with("clientId", me)
                .with("assignedQueues", mine).with("orphanedQueues", orphans);
        if (!duplicates.isEmpty()) f.with("duplicates", duplicates);
        Findings.report(f);
        return f;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Object> sorted(Set<?> queues) {
        List l = new ArrayList(queues);
        Collections.sort(l);
        return l;
    }

    /** brokerName:queueId, read by the MessageQueue getters. */
    static List<String> names(Collection<?> queues) throws Exception {
        TreeSet<String> out = new TreeSet<String>();
        if (queues == null) return new ArrayList<String>();
        for (Object q : queues) {
            Object broker = q.getClass().getMethod("getBrokerName").invoke(q);
            Object id = q.getClass().getMethod("getQueueId").invoke(q);
            out.add(broker + ":" + id);
        }
        return new ArrayList<String>(out);
    }
}
