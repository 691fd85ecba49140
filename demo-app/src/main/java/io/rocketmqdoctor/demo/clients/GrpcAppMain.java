package io.rocketmqdoctor.demo.clients;

import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.ConsumeResult;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.FilterExpressionType;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application of RocketMQ 5's gRPC client (rocketmq-client-java) talking to a proxy at --endpoint.
 * <ul>
 * <li>{@code --mode simple}: a simple consumer receives and acknowledges the --count messages a producer sends meanwhile;
 * the result counts the client's own calls (sends, receive calls, acks), which the agent's counts must equal.</li>
 * <li>{@code --mode push}: a push consumer, and a producer that sends one message every --interval-ms for --seconds;
 * each send and each message received is a line "SENT|GOT epochMillis seq" that a scenario reads against the time of
 * what it did to the proxy; the sends end early when --stop-file appears.</li>
 * <li>{@code --mode produce}: --count sync sends and nothing else (the whole-process cost bench).</li>
 * </ul>
 * Compiled against the client's oldest release and run on the one under test.
 */
public final class GrpcAppMain {
    public static final String STARTED = "GRPC-APP-STARTED";

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        ClientServiceProvider provider = ClientServiceProvider.loadService();
        ClientConfiguration config = ClientConfiguration.newBuilder().setEndpoints(a.need("endpoint"))
                .setRequestTimeout(Duration.ofSeconds(3)).build();
        String topic = a.need("topic");
        Map<String, FilterExpression> subscription = Collections.singletonMap(topic, new FilterExpression("*", FilterExpressionType.TAG));
        String mode = a.get("mode", "simple");
        Map<String, Object> r = "push".equals(mode) ? push(a, provider, config, topic, a.need("group"), subscription)
                : "produce".equals(mode) ? produce(a, provider, config, topic)
                : simple(a, provider, config, topic, a.need("group"), subscription);
        if (r != null) Report.print(r);
        // a client whose connection went half-open may not finish its own shutdown hook: the result is out, so end
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException ignored) {
                // exit
            }
            Runtime.getRuntime().halt(0);
        }, "halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(0);
    }

    /** Closes them, waiting at most {@code millis} (the close of a client on a dead connection may not return). */
    private static void closeWithin(long millis, AutoCloseable... all) throws InterruptedException {
        Thread t = new Thread(() -> {
            for (AutoCloseable c : all) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
        }, "close");
        t.setDaemon(true);
        t.start();
        t.join(millis);
    }

    private static Map<String, Object> simple(Args a, ClientServiceProvider provider, ClientConfiguration config, String topic,
                                              String group, Map<String, FilterExpression> subscription) throws Exception {
        int count = (int) a.num("count", 200);
        long sent = 0, sendFailures = 0, receiveCalls = 0, acks = 0, duplicates = 0;
        String receiveError = null;
        Set<String> got = ConcurrentHashMap.newKeySet();
        // the consumer first: a new group's first receive sets where it starts, at the queue's end, so that messages
        // sent before it would not be delivered
        try (SimpleConsumer consumer = provider.newSimpleConsumerBuilder().setClientConfiguration(config)
                .setConsumerGroup(group).setSubscriptionExpressions(subscription).setAwaitDuration(Duration.ofSeconds(a.num("await-s", 20))).build();
             Producer producer = provider.newProducerBuilder().setClientConfiguration(config).setTopics(topic).build()) {
            System.out.println(STARTED);
            // the sends start while the first receive waits: it is the group's first, and sets where the group starts
            java.util.concurrent.atomic.AtomicLongArray sends = new java.util.concurrent.atomic.AtomicLongArray(2);
            Thread sender = new Thread(() -> {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < count; i++) {
                    try {
                        producer.send(message(provider, topic, i));
                        sends.incrementAndGet(0);
                    } catch (Exception e) {
                        sends.incrementAndGet(1);
                    }
                }
            }, "sender");
            sender.start();
            long end = System.currentTimeMillis() + a.num("timeout-ms", 60_000);
            while ((sender.isAlive() || got.size() < sends.get(0)) && System.currentTimeMillis() < end) {
                List<MessageView> views;
                receiveCalls++;
                try {
                    views = consumer.receive(16, Duration.ofSeconds(30));
                } catch (Exception e) {
                    if (receiveError == null) receiveError = String.valueOf(e);
                    Thread.sleep(100);
                    continue;
                }
                for (MessageView v : views) {
                    if (!got.add(StandardCharsets.UTF_8.decode(v.getBody()).toString())) duplicates++;
                    consumer.ack(v);
                    acks++;
                }
            }
            sender.join();
            sent = sends.get(0);
            sendFailures = sends.get(1);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sent", sent);
        r.put("sendFailures", sendFailures);
        r.put("received", (long) got.size());
        r.put("duplicates", duplicates);
        r.put("receiveCalls", receiveCalls);
        r.put("acks", acks);
        if (receiveError != null) r.put("firstReceiveError", receiveError);
        return r;
    }

    private static Map<String, Object> push(Args a, ClientServiceProvider provider, ClientConfiguration config, String topic,
                                            String group, Map<String, FilterExpression> subscription) throws Exception {
        AtomicLong received = new AtomicLong();
        Set<String> got = ConcurrentHashMap.newKeySet();
        long sent = 0, sendFailures = 0;
        PushConsumer consumer = provider.newPushConsumerBuilder().setClientConfiguration(config).setConsumerGroup(group)
                .setSubscriptionExpressions(subscription).setMessageListener(v -> {
                    String body = StandardCharsets.UTF_8.decode(v.getBody()).toString();
                    if (got.add(body)) System.out.println("GOT " + System.currentTimeMillis() + " " + body);
                    received.incrementAndGet();
                    return ConsumeResult.SUCCESS;
                }).build();
        Producer producer = provider.newProducerBuilder().setClientConfiguration(config).setTopics(topic).build();
        System.out.println(STARTED);
        long end = System.currentTimeMillis() + a.num("seconds", 60) * 1000;
        long interval = a.num("interval-ms", 500);
        java.nio.file.Path stop = java.nio.file.Paths.get(a.get("stop-file", "/nonexistent/stop"));
        for (int i = 0; System.currentTimeMillis() < end && !java.nio.file.Files.exists(stop); i++) {
            try {
                producer.send(message(provider, topic, i));
                sent++;
                System.out.println("SENT " + System.currentTimeMillis() + " " + i);
            } catch (Exception e) {
                sendFailures++;
            }
            Thread.sleep(interval);
        }
        Thread.sleep(a.num("drain-ms", 5000));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sent", sent);
        r.put("sendFailures", sendFailures);
        r.put("received", (long) got.size());
        r.put("deliveries", received.get());
        Report.print(r);
        closeWithin(15_000, producer, consumer);
        return null;
    }

    /** The cost bench's producer: --count sync sends, then close. */
    private static Map<String, Object> produce(Args a, ClientServiceProvider provider, ClientConfiguration config, String topic)
            throws Exception {
        long sent = 0, sendFailures = 0;
        try (Producer producer = provider.newProducerBuilder().setClientConfiguration(config).setTopics(topic).build()) {
            for (int i = 0; i < a.num("count", 1000); i++) {
                try {
                    producer.send(message(provider, topic, i));
                    sent++;
                } catch (Exception e) {
                    sendFailures++;
                }
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sent", sent);
        r.put("sendFailures", sendFailures);
        return r;
    }

    private static Message message(ClientServiceProvider provider, String topic, int i) {
        return provider.newMessageBuilder().setTopic(topic).setTag("doctor").setKeys("k" + i)
                .setBody(String.valueOf(i).getBytes(StandardCharsets.UTF_8)).build();
    }
}
