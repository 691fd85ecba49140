package io.rocketmqdoctor.demo.clients;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ordinary, healthy application, as its users write it, for the healthy-cluster scenario.
 * <p>--role producer: one producer sending in turn sync, async and one-way, and one transactional producer whose
 * local transactions commit, at --rate messages a second for --duration-ms; every message carries a key, and the
 * keys of the sends that succeeded go to --keys-file.
 * <p>--role consumers: three push consumers of --topic in this JVM, as a service has them: concurrently in group
 * &lt;prefix&gt;-concurrent, orderly in &lt;prefix&gt;-orderly (both CLUSTERING) and BROADCASTING in &lt;prefix&gt;-broadcast.
 * Prints the queues each holds and what it consumed; at --stop-file it stops counting, writes "key count" lines per
 * group to --out-dir and shuts down.
 */
public final class HealthyAppMain {
    static final String QUEUES = HealthyApp.QUEUES;
    static final String DISTINCT = HealthyApp.DISTINCT;
    static final String[] KINDS = HealthyApp.KINDS;
    static final String[] GROUPS = HealthyApp.GROUPS;
    static final String KEY = "healthy-key";

    private HealthyAppMain() {}

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        if (a.need("role").equals("producer")) produce(a);
        else consume(a);
    }

    static void produce(Args a) throws Exception {
        String topic = a.need("topic");
        String prefix = a.get("group-prefix", "healthy");
        DefaultMQProducer p = new DefaultMQProducer(prefix + "-producer");
        p.setNamesrvAddr(a.need("namesrv"));
        p.start();
        AtomicLong checks = new AtomicLong();
        TransactionMQProducer tx = new TransactionMQProducer(prefix + "-tx");
        tx.setNamesrvAddr(a.need("namesrv"));
        tx.setTransactionListener(new TransactionListener() {
            @Override
            public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
                return LocalTransactionState.COMMIT_MESSAGE;
            }

            @Override
            public LocalTransactionState checkLocalTransaction(MessageExt msg) {
                checks.incrementAndGet(); // a committed transaction is not checked on a healthy broker
                return LocalTransactionState.COMMIT_MESSAGE;
            }
        });
        tx.start();
        System.out.println(ProducerMain.STARTED + " " + System.currentTimeMillis());
        long rate = a.num("rate", 40);
        long duration = a.num("duration-ms", 60_000);
        Map<String, AtomicLong> ok = new TreeMap<>();
        Map<String, AtomicLong> failed = new TreeMap<>();
        for (String k : KINDS) {
            ok.put(k, new AtomicLong());
            failed.put(k, new AtomicLong());
        }
        List<String> keys = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong inFlight = new AtomicLong();
        byte[] body = new byte[256];
        long start = System.currentTimeMillis();
        for (long i = 0; System.currentTimeMillis() - start < duration; i++) {
            long wait = start + i * 1000 / rate - System.currentTimeMillis();
            if (wait > 0) Thread.sleep(wait);
            String kind = KINDS[(int) (i % KINDS.length)];
            String key = prefix + "-" + i;
            Message m = new Message(topic, kind, body);
            m.putUserProperty(KEY, key);
            try {
                switch (kind) {
                    case "sync":
                        count(p.send(m).getSendStatus() == SendStatus.SEND_OK, kind, key, ok, failed, keys);
                        break;
                    case "async":
                        inFlight.incrementAndGet();
                        p.send(m, new SendCallback() {
                            @Override
                            public void onSuccess(SendResult r) {
                                count(r.getSendStatus() == SendStatus.SEND_OK, kind, key, ok, failed, keys);
                                inFlight.decrementAndGet();
                            }

                            @Override
                            public void onException(Throwable e) {
                                count(false, kind, key, ok, failed, keys);
                                inFlight.decrementAndGet();
                            }
                        });
                        break;
                    case "oneway":
                        p.sendOneway(m);
                        count(true, kind, key, ok, failed, keys);
                        break;
                    default:
                        SendResult r = tx.sendMessageInTransaction(m, null);
                        count(r.getSendStatus() == SendStatus.SEND_OK, kind, key, ok, failed, keys);
                }
            } catch (Exception e) {
                count(false, kind, key, ok, failed, keys);
            }
        }
        for (long until = System.currentTimeMillis() + 30_000; inFlight.get() > 0 && System.currentTimeMillis() < until; ) Thread.sleep(50);
        System.out.println(ProducerMain.SENDING_DONE + " " + System.currentTimeMillis());
        List<String> sentKeys;
        synchronized (keys) {
            sentKeys = new ArrayList<>(keys);
        }
        // an async send still unanswered after 30 s is a failure, whatever its callback says later
        failed.get("async").addAndGet(inFlight.get());
        Files.write(Paths.get(a.need("keys-file")), sentKeys);
        p.shutdown();
        tx.shutdown();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sent", (long) sentKeys.size());
        Map<String, Object> byKind = new TreeMap<>();
        ok.forEach((k, v) -> byKind.put(k, v.get()));
        r.put("sentByKind", byKind);
        Map<String, Object> failures = new TreeMap<>();
        failed.forEach((k, v) -> failures.put(k, v.get()));
        r.put("failedByKind", failures);
        r.put("transactionChecks", checks.get());
        Report.print(r);
    }

    private static void count(boolean success, String kind, String key, Map<String, AtomicLong> ok, Map<String, AtomicLong> failed,
                              List<String> keys) {
        if (success) {
            ok.get(kind).incrementAndGet();
            keys.add(key);
        } else {
            failed.get(kind).incrementAndGet();
        }
    }

    static void consume(Args a) throws Exception {
        String topic = a.need("topic");
        String prefix = a.get("group-prefix", "healthy");
        Path stop = Paths.get(a.need("stop-file"));
        Path out = Paths.get(a.need("out-dir"));
        // counting stops at the stop file: what a consumer takes over while its sibling shuts down is not the run's
        java.util.concurrent.atomic.AtomicBoolean counting = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<DefaultMQPushConsumer> consumers = new ArrayList<>();
        List<Map<String, AtomicLong>> seen = new ArrayList<>();
        for (String g : GROUPS) {
            DefaultMQPushConsumer c = new DefaultMQPushConsumer(prefix + "-" + g);
            c.setNamesrvAddr(a.need("namesrv"));
            c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            if (g.equals("broadcast")) ConsumerMain.broadcasting(c);
            c.subscribe(topic, "*");
            Map<String, AtomicLong> keys = new ConcurrentHashMap<>();
            java.util.function.Consumer<List<MessageExt>> record = msgs -> {
                if (!counting.get()) return;
                for (MessageExt m : msgs) keys.computeIfAbsent(String.valueOf(m.getUserProperty(KEY)), k -> new AtomicLong()).incrementAndGet();
            };
            if (g.equals("orderly")) {
                c.registerMessageListener((MessageListenerOrderly) (msgs, ctx) -> {
                    record.accept(msgs);
                    return ConsumeOrderlyStatus.SUCCESS;
                });
            } else {
                c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                    record.accept(msgs);
                    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                });
            }
            c.start();
            consumers.add(c);
            seen.add(keys);
        }
        System.out.println(ConsumerMain.STARTED);
        String lastQueues = "";
        String lastDistinct = "";
        while (!Files.exists(stop)) {
            Thread.sleep(200);
            StringBuilder q = new StringBuilder(QUEUES);
            for (DefaultMQPushConsumer c : consumers) q.append(' ').append(held(c, topic));
            StringBuilder d = new StringBuilder(DISTINCT);
            for (Map<String, AtomicLong> keys : seen) d.append(' ').append(keys.size());
            if (!q.toString().equals(lastQueues)) System.out.println(lastQueues = q.toString());
            if (!d.toString().equals(lastDistinct)) System.out.println(lastDistinct = d.toString());
        }
        counting.set(false);
        Map<String, Object> r = new LinkedHashMap<>();
        for (int i = 0; i < GROUPS.length; i++) {
            List<String> lines = new ArrayList<>();
            long total = 0;
            for (Map.Entry<String, AtomicLong> e : seen.get(i).entrySet()) {
                lines.add(e.getKey() + " " + e.getValue().get());
                total += e.getValue().get();
            }
            Files.write(out.resolve(GROUPS[i] + ".keys"), lines);
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("received", total);
            g.put("distinct", (long) seen.get(i).size());
            r.put(GROUPS[i], g);
        }
        for (DefaultMQPushConsumer c : consumers) c.shutdown();
        Report.print(r);
        System.exit(0); // 5.5.0's orderly consumer leaves a non-daemon thread behind (see ConsumerMain)
    }

    /** The queues of {@code topic} a push consumer holds now (its rebalance's process queues; orderly: locked ones). */
    static long held(DefaultMQPushConsumer c, String topic) {
        long n = 0;
        for (MessageQueue mq : c.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().keySet()) {
            if (mq.getTopic().equals(topic)) n++;
        }
        return n;
    }
}
