package io.rocketmqdoctor.demo.clients;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends --count messages of --size bytes synchronously (or for --duration-ms), at --rate per second
 * when given, and prints one CLIENT-RESULT line (and with --latency-file, each successful send's start and latency): sent, failures, send latency, and what its agent exposes.
 */
public final class ProducerMain {
    /** SENDING-DONE epochMillis: the last send returned (before --linger-ms). */
    public static final String SENDING_DONE = "SENDING-DONE";
    /** CLIENT-STARTED epochMillis: printed right after the producer started. */
    public static final String STARTED = "CLIENT-STARTED";
    /** Printed once, after the first send succeeded: the harness waits for it. */
    public static final String FIRST_SEND = "FIRST-SEND-OK";
    /** NAMESRV-CHOSEN addr: printed when the client's chosen name server changes (with --report-namesrv true). */
    public static final String NAMESRV_CHOSEN = "NAMESRV-CHOSEN";
    /** NEW-BROKER-SEND epochMillis brokerName: the first send to a broker other than the first one's. */
    public static final String NEW_BROKER_SEND = "NEW-BROKER-SEND";
    /** TOPIC2-FIRST-SEND epochMillis: the first successful send to --topic2, used from when --topic2-file exists. */
    public static final String TOPIC2_FIRST_SEND = "TOPIC2-FIRST-SEND";
    /** BURST-READY: the route is known; with --burst-after-file the burst waits for that file (the harness's fault first). */
    public static final String BURST_READY = "BURST-READY";

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        DefaultMQProducer p = new DefaultMQProducer(a.get("group", "doctor-producer"));
        p.setNamesrvAddr(a.need("namesrv"));
        p.setSendMsgTimeout((int) a.num("send-timeout-ms", 3000));
        p.setDefaultTopicQueueNums((int) a.num("queues", 8));
        // no retries unless --retries: most scenarios count what each single attempt met
        p.setRetryTimesWhenSendFailed((int) a.num("retries", 0));
        p.setRetryTimesWhenSendAsyncFailed(0);
        p.start();
        // the client polls its routes every 30 s from here (pollNameServerInterval): a scenario can time its fault by it
        System.out.println(STARTED + " " + System.currentTimeMillis());
        if (Boolean.parseBoolean(a.get("report-namesrv", "false"))) NamesrvWatcher.start(p);
        java.nio.file.Path stopFile = a.get("stop-file", null) == null ? null : java.nio.file.Paths.get(a.get("stop-file", null));
        java.util.Set<String> brokers = new java.util.HashSet<>();
        String topic = a.need("topic");
        String topic2 = a.get("topic2", null);
        java.nio.file.Path topic2File = topic2 == null ? null : java.nio.file.Paths.get(a.need("topic2-file"));
        boolean topic2On = false;
        boolean topic2Sent = false;
        long count = a.num("count", 0);
        long duration = a.num("duration-ms", 0);
        long rate = a.num("rate", 0);
        byte[] body = new byte[(int) a.num("size", 1024)];
        int cap = (int) Math.max(count, 1_000_000);
        long[] nanos = new long[cap];
        long[] startedAt = new long[cap];
        int n = 0;
        long sent = 0;
        long failures = 0;
        Map<String, Long> statuses = new TreeMap<>();
        long start = System.currentTimeMillis();
        long burst = a.num("async-burst", 0);
        // --tags A,B: the messages' tags in turn (the mixed-subscriptions scenario counts them by tag)
        String[] tags = a.get("tags", null) == null ? null : a.get("tags", null).split(",");
        Map<String, Long> sentByTag = new TreeMap<>();
        Map<String, Long> sentByQueue = new TreeMap<>();
        Map<String, Long> sentByBroker = new TreeMap<>();
        if (burst > 0) asyncBurst(p, topic, body, burst, (int) a.num("async-threads", 1), a.get("burst-after-file", null),
                a.num("hold-async-permits-ms", 0), statuses);
        for (long i = 0; count > 0 ? i < count : System.currentTimeMillis() - start < duration; i++) {
            if (stopFile != null && java.nio.file.Files.exists(stopFile)) break;
            if (topic2File != null && !topic2On) topic2On = java.nio.file.Files.exists(topic2File);
            String to = topic2On && i % 2 == 0 ? topic2 : topic;
            if (rate > 0) {
                long due = start + i * 1000 / rate;
                long wait = due - System.currentTimeMillis();
                if (wait > 0) Thread.sleep(wait);
            }
            long t0 = System.nanoTime();
            long t0Millis = System.currentTimeMillis();
            try {
                String tag = tags == null ? "doctor" : tags[(int) (i % tags.length)];
                SendResult r = p.send(new Message(to, tag, body));
                if (tags != null && r.getSendStatus() == SendStatus.SEND_OK) sentByTag.merge(tag, 1L, Long::sum);
                if (r.getSendStatus() == SendStatus.SEND_OK) sentByQueue.merge(String.valueOf(r.getMessageQueue().getQueueId()), 1L, Long::sum);
                if (n < cap) {
                    startedAt[n] = t0Millis;
                    nanos[n++] = System.nanoTime() - t0;
                }
                statuses.merge(r.getSendStatus().name(), 1L, Long::sum);
                if (r.getSendStatus() != SendStatus.SEND_OK) {
                    failures++;
                } else if (sent++ == 0) {
                    System.out.println(FIRST_SEND);
                }
                if (to.equals(topic2) && r.getSendStatus() == SendStatus.SEND_OK && !topic2Sent) {
                    topic2Sent = true;
                    System.out.println(TOPIC2_FIRST_SEND + " " + System.currentTimeMillis());
                }
                String broker = r.getMessageQueue().getBrokerName();
                if (r.getSendStatus() == SendStatus.SEND_OK) sentByBroker.merge(broker, 1L, Long::sum);
                if (to.equals(topic) && brokers.add(broker) && brokers.size() > 1) {
                    System.out.println(NEW_BROKER_SEND + " " + System.currentTimeMillis() + " " + broker);
                }
            } catch (Exception e) {
                failures++;
                // a broker's refusal by its code (SYSTEM_BUSY is 2), as the application sees it
                String code = e instanceof org.apache.rocketmq.client.exception.MQBrokerException
                        ? ":" + ((org.apache.rocketmq.client.exception.MQBrokerException) e).getResponseCode()
                        : e instanceof org.apache.rocketmq.client.exception.MQClientException
                        ? ":" + ((org.apache.rocketmq.client.exception.MQClientException) e).getResponseCode() : "";
                statuses.merge(e.getClass().getSimpleName() + code, 1L, Long::sum);
            }
        }
        long elapsed = System.currentTimeMillis() - start;
        System.out.println(SENDING_DONE + " " + System.currentTimeMillis());
        long linger = a.num("linger-ms", 0);
        if (linger > 0) Thread.sleep(linger);
        p.shutdown();
        String latencies = a.get("latency-file", null);
        if (latencies != null) {
            // epoch millis the send started, its latency in microseconds: the scenario picks its window from these
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) sb.append(startedAt[i]).append(',').append(nanos[i] / 1000).append('\n');
            java.nio.file.Files.writeString(java.nio.file.Paths.get(latencies), sb);
        }
        long[] s = Report.sorted(nanos, n);
        Map<String, Object> r = new LinkedHashMap<>();
        if (burst > 0) sent = statuses.getOrDefault("SEND_OK", 0L);
        r.put("sent", sent);
        r.put("sendFailures", failures);
        r.put("statuses", statuses);
        if (tags != null) r.put("sentByTag", sentByTag);
        r.put("sentByQueue", sentByQueue);
        r.put("sentByBroker", sentByBroker);
        r.put("elapsedMs", elapsed);
        r.put("sendP50Ms", Report.ms(s, n, 50));
        r.put("sendP99Ms", Report.ms(s, n, 99));
        r.put("sendP999Ms", Report.ms(s, n, 99.9));
        if (burst > 0) r.put("asyncMeanMs", asyncMeanMs);
        r.put("jmx", Report.jmxCounts());
        if (Boolean.parseBoolean(a.get("footprint", "false"))) Report.footprint(r);
        String metrics = a.get("save-metrics", null);
        if (metrics != null) Report.saveMetrics((int) a.num("metrics-port", 0), metrics);
        Report.print(r);
    }

    /**
     * --async-burst N: N asynchronous sends at once, so requests queue in the broker (flow control shows when they
     * wait longer than its waitTimeMillsInSendQueue), from --async-threads threads (default 1). Failures are counted by
     * the broker's remark prefix, else the exception's class (a 4.3.0 client throws its own back-pressure from send()).
     */
    static double asyncMeanMs;

    static void asyncBurst(DefaultMQProducer p, String topic, byte[] body, long n, int threads, String afterFile, long holdPermitsMs,
                           Map<String, Long> statuses) throws Exception {
        p.send(new Message(topic, "doctor", body), 10_000); // the route first, whatever --send-timeout-ms is
        System.out.println(BURST_READY);
        if (afterFile != null) {
            long until = System.currentTimeMillis() + 120_000;
            while (!java.nio.file.Files.exists(java.nio.file.Paths.get(afterFile))) {
                if (System.currentTimeMillis() > until) throw new IllegalStateException("no " + afterFile + " within 120 s");
                Thread.sleep(20);
            }
        }
        if (holdPermitsMs > 0) holdAsyncPermits(p, holdPermitsMs);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch((int) n);
        Map<String, Long> results = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicLong roundTrips = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        Runnable sender = () -> {
            while (next.getAndIncrement() < n) {
                long t0 = System.nanoTime();
                try {
                    p.send(new Message(topic, "doctor", body), new org.apache.rocketmq.client.producer.SendCallback() {
                        @Override
                        public void onSuccess(SendResult r) {
                            roundTrips.addAndGet(System.nanoTime() - t0);
                            results.merge(r.getSendStatus().name(), 1L, Long::sum);
                            done.countDown();
                        }

                        @Override
                        public void onException(Throwable e) {
                            roundTrips.addAndGet(System.nanoTime() - t0);
                            results.merge(failure(e), 1L, Long::sum);
                            done.countDown();
                        }
                    });
                } catch (Exception e) {
                    roundTrips.addAndGet(System.nanoTime() - t0);
                    results.merge(failure(e), 1L, Long::sum);
                    done.countDown();
                }
            }
        };
        Thread[] ts = new Thread[Math.max(1, threads)];
        for (int i = 0; i < ts.length; i++) (ts[i] = new Thread(sender, "async-sender-" + i)).start();
        for (Thread t : ts) t.join();
        done.await(120, java.util.concurrent.TimeUnit.SECONDS);
        // the mean from each send call to its callback, as the application sees an async send
        asyncMeanMs = roundTrips.get() / 1e6 / n;
        results.merge("SEND_OK", 1L, Long::sum);
        statuses.putAll(results);
    }

    /**
     * --hold-async-permits-ms N: the client's own back-pressure for certain, whatever the machine's speed. The burst
     * starts with every async permit of the client's remoting layer (NettyRemotingAbstract.semaphoreAsync) taken for N
     * ms, as a burst that outruns them would; sends in that time find none, and no request is on the wire meanwhile.
     */
    static void holdAsyncPermits(DefaultMQProducer p, long millis) throws Exception {
        Object remoting = p.getDefaultMQProducerImpl().getmQClientFactory().getMQClientAPIImpl().getRemotingClient();
        java.lang.reflect.Field f = null;
        for (Class<?> c = remoting.getClass(); f == null && c != null; c = c.getSuperclass()) {
            for (java.lang.reflect.Field d : c.getDeclaredFields()) if (d.getName().equals("semaphoreAsync")) f = d;
        }
        if (f == null) throw new IllegalStateException("no semaphoreAsync in " + remoting.getClass());
        f.setAccessible(true);
        java.util.concurrent.Semaphore permits = (java.util.concurrent.Semaphore) f.get(remoting);
        int taken = permits.drainPermits();
        System.out.println("ASYNC-PERMITS-HELD " + taken);
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException ignored) {
                // release now
            }
            permits.release(taken);
        }, "permit-holder");
        release.setDaemon(true);
        release.start();
    }

    /** The broker's remark prefix ([TIMEOUT_CLEAN_QUEUE]...), else the exception's (or its cause's) class. */
    static String failure(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int open = m.indexOf('[');
        int close = m.indexOf(']', open + 1);
        if (open >= 0 && close > open) return m.substring(open + 1, close);
        return e.getCause() != null ? e.getCause().getClass().getSimpleName() : e.getClass().getSimpleName();
    }
}
