package io.rocketmqdoctor.demo.clients;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A push consumer from the first offset that stops at --expect distinct messages or after --timeout-ms,
 * and prints one CLIENT-RESULT line: received, distinct, and messages by queue.
 */
public final class ConsumerMain {
    public static final String STARTED = "CONSUMER-STARTED";
    /** BLOCKING epochMillis queueId: the listener call that blocks has started. */
    public static final String BLOCKING = "LISTENER-BLOCKING";
    /** CONSUMER-PROGRESS n: distinct messages so far, printed when it changed, at most once a second. */
    public static final String PROGRESS = "CONSUMER-PROGRESS";

    /** MessageModel moved from common.protocol (4.x) to remoting.protocol (5.x): set by the setter's own type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void broadcasting(DefaultMQPushConsumer c) throws Exception {
        for (java.lang.reflect.Method m : c.getClass().getMethods()) {
            if (m.getName().equals("setMessageModel")) m.invoke(c, Enum.valueOf((Class<Enum>) m.getParameterTypes()[0], "BROADCASTING"));
        }
    }

    /** Live consume threads (RocketMQ names them ConsumeMessageThread_<n>). */
    static long consumeThreads() {
        long n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("ConsumeMessageThread_")) n++;
        return n;
    }

    /** Sleeps as a slow or stuck listener would; false if interrupted. */
    static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        DefaultMQPushConsumer c = new DefaultMQPushConsumer(a.get("group", "doctor-consumer"));
        c.setNamesrvAddr(a.need("namesrv"));
        // --from last: a new group's default, which a young queue overrides (the offset-rewind scenario)
        c.setConsumeFromWhere("last".equals(a.get("from", "first")) ? ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET
                : ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        String instance = a.get("instance-name", null);
        if (instance != null) c.setInstanceName(instance);
        // BROADCASTING keeps its offsets in a local file under the client id (the twin-consumer test's restart case)
        if (Boolean.parseBoolean(a.get("broadcasting", "false"))) broadcasting(c);
        // the slow-consumer scenario: a listener that takes --consume-sleep-ms per message, the pool's bounds, the cache threshold
        long sleep = a.num("consume-sleep-ms", 0);
        // a consumer whose first heartbeat the broker missed is unknown to it until the next one (30 s by default)
        if (a.get("heartbeat-ms", null) != null) c.setHeartbeatBrokerInterval((int) a.num("heartbeat-ms", 30_000));
        // a route made after the start (a 5.x broker's retry topic) is found at the next poll of the name server (30 s)
        if (a.get("poll-namesrv-ms", null) != null) c.setPollNameServerInterval((int) a.num("poll-namesrv-ms", 30_000));
        if (a.get("thread-min", null) != null) c.setConsumeThreadMin((int) a.num("thread-min", 20));
        if (a.get("thread-max", null) != null) c.setConsumeThreadMax((int) a.num("thread-max", 20));
        if (a.get("pull-threshold", null) != null) c.setPullThresholdForQueue((int) a.num("pull-threshold", 1000));
        if (sleep > 0) c.setConsumeMessageBatchMaxSize(1);
        if (a.get("consume-timeout-min", null) != null) c.setConsumeTimeout(a.num("consume-timeout-min", 15));
        // the stuck-listener scenario: the first message of --block-queue blocks its listener call for --block-ms
        int blockQueue = (int) a.num("block-queue", -1);
        long blockMs = a.num("block-ms", 0);
        java.util.concurrent.atomic.AtomicBoolean blocked = new java.util.concurrent.atomic.AtomicBoolean();
        String ip = a.get("client-ip", null);
        if (ip != null) c.setClientIP(ip);
        c.subscribe(a.need("topic"), a.get("tag", "*"));
        // the retry-storm scenario: the listener throws for messages tagged --fail-tag, every time they come
        String failTag = a.get("fail-tag", null);
        if (a.get("max-reconsume", null) != null) c.setMaxReconsumeTimes((int) a.num("max-reconsume", -1));
        int retryDelayLevel = (int) a.num("retry-delay-level", 0);
        Map<String, Long> receivedByTag = new ConcurrentHashMap<>();
        AtomicLong failedDeliveries = new AtomicLong();
        // message id -> [queue, consumed at]: what counts is decided at the end, against the stop file's cut-off
        Map<String, long[]> consumed = new ConcurrentHashMap<>();
        AtomicLong received = new AtomicLong();
        Map<String, Long> byTag = new ConcurrentHashMap<>();
        long expect = a.num("expect", Long.MAX_VALUE);
        // --orderly: the same listener, consumed orderly (a queue's messages one batch at a time)
        java.util.function.Predicate<List<MessageExt>> listener = msgs -> {
            long now = System.currentTimeMillis();
            for (MessageExt m : msgs) {
                if (m.getQueueId() == blockQueue && blocked.compareAndSet(false, true)) {
                    System.out.println(BLOCKING + " " + System.currentTimeMillis() + " " + m.getQueueId());
                    if (!pause(blockMs)) return false;
                }
                if (sleep > 0 && !pause(sleep)) return false;
                received.incrementAndGet();
                receivedByTag.merge(String.valueOf(m.getTags()), 1L, Long::sum);
                if (failTag != null && failTag.equals(m.getTags())) {
                    failedDeliveries.incrementAndGet();
                    throw new IllegalStateException("cannot process message " + m.getMsgId() + " (tag " + failTag + ")");
                }
                if (consumed.putIfAbsent(m.getMsgId(), new long[]{m.getQueueId(), now}) == null) byTag.merge(String.valueOf(m.getTags()), 1L, Long::sum);
            }
            return true;
        };
        boolean orderly = Boolean.parseBoolean(a.get("orderly", "false"));
        if (orderly) {
            c.registerMessageListener((MessageListenerOrderly) (msgs, ctx) ->
                    listener.test(msgs) ? ConsumeOrderlyStatus.SUCCESS : ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT);
        } else {
            c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                if (retryDelayLevel > 0) ctx.setDelayLevelWhenNextConsume(retryDelayLevel);
                return listener.test(msgs) ? ConsumeConcurrentlyStatus.CONSUME_SUCCESS : ConsumeConcurrentlyStatus.RECONSUME_LATER;
            });
        }
        c.start();
        // the stopped-pull scenario: an Error in the pull's callback ends the pulls of --lose-pull-queue
        if (a.get("lose-pull-queue", null) != null) PullBreaker.install(c, a.need("topic"), (int) a.num("lose-pull-queue", 0));
        System.out.println(STARTED);
        long end = System.currentTimeMillis() + a.num("timeout-ms", 60_000);
        java.nio.file.Path stop = a.get("stop-file", null) == null ? null : java.nio.file.Paths.get(a.get("stop-file", null));
        long printed = -1;
        long printedAt = 0;
        // --expect-failures N: go on until the listener has failed N deliveries too (the retry-storm scenario)
        long expectFailures = a.num("expect-failures", 0);
        while ((consumed.size() < expect || failedDeliveries.get() < expectFailures) && System.currentTimeMillis() < end && (stop == null || !java.nio.file.Files.exists(stop))) {
            Thread.sleep(100);
            long n = consumed.size();
            if (n != printed && System.currentTimeMillis() - printedAt >= 1000) {
                System.out.println(PROGRESS + " " + n + " " + consumeThreads());
                printed = n;
                printedAt = System.currentTimeMillis();
            }
        }
        // The stop file holds the cut-off time: what a twin consumes after its sibling left (and the broker handed it
        // the sibling's queues) is not what was measured.
        String stopText = stop != null && java.nio.file.Files.exists(stop) ? new String(java.nio.file.Files.readAllBytes(stop)).trim() : "";
        // a stop file without a time (the healthy cluster's "stop") cuts nothing off
        long cutoff = stopText.matches("\\d+") ? Long.parseLong(stopText) : Long.MAX_VALUE;
        long threads = consumeThreads();
        c.shutdown();
        Set<String> ids = new java.util.TreeSet<>();
        Map<Integer, AtomicLong> byQueue = new java.util.TreeMap<>();
        consumed.forEach((id, qt) -> {
            if (qt[1] >= cutoff) return;
            ids.add(id);
            byQueue.computeIfAbsent((int) qt[0], q -> new AtomicLong()).incrementAndGet();
        });
        String idsFile = a.get("ids-file", null);
        if (idsFile != null) java.nio.file.Files.write(java.nio.file.Paths.get(idsFile), ids);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("received", received.get());
        r.put("consumeThreads", threads);
        r.put("byTag", new TreeMap<>(byTag));
        r.put("receivedByTag", new TreeMap<>(receivedByTag));
        r.put("failedDeliveries", failedDeliveries.get());
        r.put("distinct", (long) ids.size());
        Map<String, Object> q = new TreeMap<>();
        byQueue.forEach((k, v) -> q.put(String.valueOf(k), v.get()));
        r.put("byQueue", q);
        r.put("jmx", Report.jmxCounts());
        Report.print(r);
        // 5.5.0's orderly consumer leaves a non-daemon thread behind after shutdown (its pop service's scheduler,
        // ConsumeMessageScheduledThread_1, is started and never shut down). Only there: elsewhere a JVM that does not
        // exit by itself is a finding of the tests (TwinConsumersTest's inner producer).
        if (orderly) System.exit(0);
    }
}
