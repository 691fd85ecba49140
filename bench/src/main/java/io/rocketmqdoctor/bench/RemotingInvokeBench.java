package io.rocketmqdoctor.bench;

import org.HdrHistogram.Recorder;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.netty.ResponseFuture;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client remoting hot path: NettyRemotingClient.invokeSync on a stand-in that answers at once, in the
 * fork's mode (system property bench.mode): none (no agent), agent-disabled (jar attached, feature off),
 * agent-on. Setup proves the mode: with the agent on, the agent's recorder for this request must count.
 * "reference" does the timing work a timed advice must do, by hand (two System.nanoTime() and one
 * Recorder.recordValue on a recorder of the agent's range), in the same fork, so both see the same machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RemotingInvokeBench {
    static final String BROKER = "127.0.0.1:10911";
    NettyRemotingClient client;
    RemotingCommand request;
    Recorder recorder;

    @Setup
    public void setup() throws Exception {
        recorder = new Recorder(1_000L, 3_600_000_000_000L, 2);
        client = new NettyRemotingClient();
        request = new RemotingCommand(310);
        for (int i = 0; i < 1000; i++) client.invokeSync(BROKER, request, 3000);
        String mode = System.getProperty("bench.mode", "none");
        long counted = recorded();
        if (mode.equals("agent-on") && counted <= 0) throw new IllegalStateException("agent-on, but the agent recorded no call: not instrumented");
        if (!mode.equals("agent-on") && counted > 0) throw new IllegalStateException(mode + ", but the agent recorded calls");
    }

    /** Calls of this request the agent's recorder has counted so far (after its swap), or -1 without the agent. */
    static long recorded() throws Exception {
        Class<?> histograms;
        try {
            histograms = Class.forName("io.rocketmqdoctor.histo.Histograms", true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            return -1;
        }
        long deadline = System.currentTimeMillis() + 5000;
        long n = 0;
        while (System.currentTimeMillis() < deadline) {
            n = 0;
            for (Object r : (List<?>) histograms.getMethod("all").invoke(null)) {
                String key = (String) r.getClass().getMethod("key").invoke(r);
                if (!key.startsWith("remoting.client;role=broker;mode=sync;request=310")) continue;
                Object total = r.getClass().getMethod("total").invoke(r);
                Field count = total.getClass().getField("count");
                n += count.getLong(total);
            }
            if (n > 0 || !"agent-on".equals(System.getProperty("bench.mode"))) return n;
            Thread.sleep(100);
        }
        return n;
    }

    @Benchmark
    public RemotingCommand invokeSync() throws Exception {
        return client.invokeSync(BROKER, request, 3000);
    }

    /**
     * invokeAsync and its callback, as RocketMQ runs them for one request: the advice notes the request on entry and
     * times it when ResponseFuture.executeInvokeCallback starts. The stand-ins answer at once.
     */
    @Benchmark
    public void invokeAsyncRoundTrip(Async a) {
        int opaque = ++a.opaque;
        a.request.setOpaque(opaque);
        a.client.invokeAsync(BROKER, a.request, 3000, null);
        a.future.setOpaque(opaque);
        a.future.executeInvokeCallback();
    }

    /**
     * invokeSync after a failover: a name server timed out in a row and is never called again.
     * Setup makes it time out, then (with the agent on) waits until the agent has let its streak expire
     * (remoting.streak-expiry, 1 s in the bench's agent arguments): successes must be back on the fast path.
     */
    @Benchmark
    public RemotingCommand invokeSyncAfterFailover(AfterFailover f) throws Exception {
        return f.client.invokeSync(BROKER, f.request, 3000);
    }

    @State(Scope.Benchmark)
    public static class Async {
        final NettyRemotingClient client = new NettyRemotingClient();
        final RemotingCommand request = new RemotingCommand(11);
        final ResponseFuture future = new ResponseFuture();
        int opaque;
    }

    @State(Scope.Benchmark)
    public static class AfterFailover {
        final NettyRemotingClient client = new NettyRemotingClient();
        final RemotingCommand request = new RemotingCommand(310);

        @Setup
        public void failOver() throws Exception {
            for (int i = 0; i < 3; i++) {
                try {
                    client.invokeSync(NettyRemotingClient.HUNG, new RemotingCommand(105), 3000);
                } catch (Exception expected) {
                    // the hung name server's timeout, counted by the agent
                }
            }
            if (!"agent-on".equals(System.getProperty("bench.mode"))) return;
            java.lang.reflect.Field streak = Class.forName("io.rocketmqdoctor.advices.remoting.Peer", true,
                    ClassLoader.getSystemClassLoader()).getDeclaredField("anyStreak");
            streak.setAccessible(true);
            if (!streak.getBoolean(null)) throw new IllegalStateException("the agent counted no timeout: no failover to measure");
            long deadline = System.currentTimeMillis() + 15_000;
            while (streak.getBoolean(null)) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("the timeout streak never expired");
                Thread.sleep(50);
            }
        }
    }

    /**
     * One consume call of a push consumer: ConsumeRequest.run with an empty listener, timed by the consumer
     * feature by group and topic, with its thread's in-flight slot (for stuck-listener detection).
     */
    @Benchmark
    public void consume(Consume c) {
        c.request.run();
    }

    /**
     * One orderly consume call: the orderly run's enter and exit, the batch handed out by takeMessages and
     * processConsumeResult (a real run makes many calls per run, so this is the most a call pays).
     */
    @Benchmark
    public void consumeOrderly(Consume c) {
        c.orderlyRequest.run();
    }

    @State(Scope.Benchmark)
    public static class Consume {
        final org.apache.rocketmq.client.impl.consumer.ConsumeMessageConcurrentlyService service =
                new org.apache.rocketmq.client.impl.consumer.ConsumeMessageConcurrentlyService();
        final Runnable request = service.request(new org.apache.rocketmq.common.message.MessageQueue("BenchTopic", "broker-a", 0));
        final org.apache.rocketmq.client.impl.consumer.ConsumeMessageOrderlyService orderly =
                new org.apache.rocketmq.client.impl.consumer.ConsumeMessageOrderlyService();
        final Runnable orderlyRequest = orderly.request(new org.apache.rocketmq.common.message.MessageQueue("BenchTopic", "broker-a", 1));

        @org.openjdk.jmh.annotations.TearDown
        public void stop() {
            service.shutdown();
            orderly.shutdown();
        }
    }

    /**
     * One RPC of RocketMQ 5's gRPC client (feature grpc): sendMessage on a stand-in ClientManagerImpl whose future is
     * already answered, so the agent's listener runs at once: what the agent adds to an RPC, without the network (a
     * real Guava future allocates its own listener node for it).
     */
    @Benchmark
    public Object grpcSend(Grpc g) {
        return g.manager.sendMessage(g.endpoints, g.request, g.timeout);
    }

    @State(Scope.Benchmark)
    public static class Grpc {
        final org.apache.rocketmq.client.java.impl.ClientManagerImpl manager = new org.apache.rocketmq.client.java.impl.ClientManagerImpl();
        final org.apache.rocketmq.client.java.route.Endpoints endpoints = new org.apache.rocketmq.client.java.route.Endpoints("ipv4:127.0.0.1:8081");
        final apache.rocketmq.v2.SendMessageRequest request = new apache.rocketmq.v2.SendMessageRequest();
        final java.time.Duration timeout = java.time.Duration.ofSeconds(3);
    }

    /**
     * What every send adds besides its request (features brokerbusy and brokeraddress): the VIP address RocketMQ asks
     * for (MixAll.brokerVIPChannel, vipChannelEnabled off as by default since 4.5.1) and the answer turned into a
     * result (MQClientAPIImpl.processSendResponse, a SUCCESS answer): the advices only look.
     */
    @Benchmark
    public Object sendAnswer(Send s) {
        String addr = org.apache.rocketmq.common.MixAll.brokerVIPChannel(false, BROKER);
        return s.api.processSendResponse("broker-a", s.message, s.response, addr);
    }

    @State(Scope.Benchmark)
    public static class Send {
        final org.apache.rocketmq.client.impl.MQClientAPIImpl api = new org.apache.rocketmq.client.impl.MQClientAPIImpl();
        final org.apache.rocketmq.common.message.Message message = new org.apache.rocketmq.common.message.Message("BenchTopic");
        final RemotingCommand response = new RemotingCommand(0);
    }

    /**
     * A pull as the broker answers it and the client takes it (feature offsets): DefaultMessageStore.getMessage (32
     * messages found) and PullAPIWrapper.processPullResult (FOUND); the advices look at the next offset and the status.
     */
    @Benchmark
    public Object pullAnswer(Pull p) {
        p.offset += 32;
        Object found = p.store.getMessage("bench-group", "BenchTopic", 0, p.offset, 32, null);
        return p.client.processPullResult(p.queue, p.result, p.subscription) == null ? null : found;
    }

    @State(Scope.Benchmark)
    public static class Pull {
        final org.apache.rocketmq.store.DefaultMessageStore store = new org.apache.rocketmq.store.DefaultMessageStore();
        final org.apache.rocketmq.client.impl.consumer.PullAPIWrapper client = new org.apache.rocketmq.client.impl.consumer.PullAPIWrapper();
        final org.apache.rocketmq.common.message.MessageQueue queue = new org.apache.rocketmq.common.message.MessageQueue("BenchTopic", "broker-a", 0);
        final org.apache.rocketmq.client.consumer.PullResult result = new org.apache.rocketmq.client.consumer.PullResult();
        final org.apache.rocketmq.common.protocol.heartbeat.SubscriptionData subscription = new org.apache.rocketmq.common.protocol.heartbeat.SubscriptionData();
        long offset;
    }

    /**
     * A consumer's commit (feature offsets): the broker's ConsumerOffsetManager.commitOffset, and the client's
     * RemoteBrokerOffsetStore.updateOffset with increaseOnly false (an orderly consumer's; a concurrent one's is true and
     * not looked at): both compare the new offset with the stored one, rising here.
     */
    @Benchmark
    public Object offsetCommit(Commit c) {
        c.offset++;
        c.broker.commitOffset("127.0.0.1:50000", "bench-group", "BenchTopic", 0, c.offset);
        c.client.updateOffset(c.queue, c.offset, false);
        return c.broker;
    }

    @State(Scope.Benchmark)
    public static class Commit {
        final org.apache.rocketmq.broker.offset.ConsumerOffsetManager broker = new org.apache.rocketmq.broker.offset.ConsumerOffsetManager();
        final org.apache.rocketmq.client.consumer.store.RemoteBrokerOffsetStore client = new org.apache.rocketmq.client.consumer.store.RemoteBrokerOffsetStore();
        final org.apache.rocketmq.common.message.MessageQueue queue = new org.apache.rocketmq.common.message.MessageQueue("BenchTopic", "broker-a", 0);
        long offset = 1;
    }

    /**
     * A transactional message (feature transactions): the half message's arrival at the broker
     * (TransactionalMessageServiceImpl.asyncPrepareMessage, born now: on time) and the producer's end (endTransaction,
     * COMMIT): the broker reads the born time, the producer notes the transaction as ended.
     */
    @Benchmark
    public Object transaction(Tx t) {
        t.half.setBornTimestamp(System.currentTimeMillis());
        Object put = t.broker.asyncPrepareMessage(t.half);
        t.producer.endTransaction(t.half, t.sent, org.apache.rocketmq.client.producer.LocalTransactionState.COMMIT_MESSAGE, null);
        return put;
    }

    @State(Scope.Benchmark)
    public static class Tx {
        final org.apache.rocketmq.broker.transaction.queue.TransactionalMessageServiceImpl broker =
                new org.apache.rocketmq.broker.transaction.queue.TransactionalMessageServiceImpl();
        final org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl producer = new org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl();
        final org.apache.rocketmq.store.MessageExtBrokerInner half = new org.apache.rocketmq.store.MessageExtBrokerInner("BenchTx");
        final org.apache.rocketmq.client.producer.SendResult sent = new org.apache.rocketmq.client.producer.SendResult();
    }

    @Benchmark
    public long reference() {
        long t0 = System.nanoTime();
        long t1 = System.nanoTime();
        recorder.recordValue(t1 - t0);
        return t1;
    }

}
