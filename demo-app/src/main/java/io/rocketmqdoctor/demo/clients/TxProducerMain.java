package io.rocketmqdoctor.demo.clients;

import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transactional producer as applications write one: the local transaction records "in progress", works --work-ms,
 * commits its database row, does --after-commit-ms more (an audit write, a cache update), and returns COMMIT; the
 * checker answers from the row: COMMIT when committed, UNKNOW while in progress, ROLLBACK when there is none.
 * --clock-ahead-ms simulates this host's clock running ahead of the brokers': an RPCHook moves the bornTimestamp of
 * its send requests forward, in this JVM only (never the machine's clock, never the agent).
 */
public final class TxProducerMain {
    static final int SEND_MESSAGE = 10;
    static final int SEND_MESSAGE_V2 = 310;

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        long ahead = a.num("clock-ahead-ms", 0);
        TransactionMQProducer p = new TransactionMQProducer(a.get("group", "doctor-tx"), ahead == 0 ? null : clockAhead(ahead));
        p.setNamesrvAddr(a.need("namesrv"));
        long work = a.num("work-ms", 300);
        long afterCommit = a.num("after-commit-ms", 300);
        Map<String, String> rows = new ConcurrentHashMap<>();
        Map<String, AtomicLong> checks = new ConcurrentHashMap<>();
        p.setTransactionListener(new TransactionListener() {
            @Override
            public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
                rows.put(msg.getKeys(), "IN_PROGRESS");
                sleep(work);
                rows.put(msg.getKeys(), "COMMITTED");
                sleep(afterCommit);
                return LocalTransactionState.COMMIT_MESSAGE;
            }

            @Override
            public LocalTransactionState checkLocalTransaction(MessageExt msg) {
                String row = rows.get(msg.getKeys());
                String answer = "COMMITTED".equals(row) ? "COMMIT_MESSAGE" : "IN_PROGRESS".equals(row) ? "UNKNOW" : "ROLLBACK_MESSAGE";
                checks.computeIfAbsent((row == null ? "none" : row.toLowerCase()) + "->" + answer, k -> new AtomicLong()).incrementAndGet();
                return LocalTransactionState.valueOf(answer);
            }
        });
        p.start();
        String topic = a.need("topic");
        String tag = a.get("tag", "tx");
        long count = a.num("count", 0);
        long duration = a.num("duration-ms", 0);
        int threads = (int) a.num("threads", 4);
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong next = new AtomicLong();
        long start = System.currentTimeMillis();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (long i = next.getAndIncrement(); count > 0 ? i < count : System.currentTimeMillis() - start < duration;
                     i = next.getAndIncrement()) {
                    Message m = new Message(topic, tag, (tag + "-" + i).getBytes());
                    m.setKeys(tag + "-" + i);
                    try {
                        SendResult r = p.sendMessageInTransaction(m, null);
                        if (r.getSendStatus().name().equals("SEND_OK")) sent.incrementAndGet();
                        else failed.incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        // checks of the last transactions still come for a while
        Thread.sleep(a.num("linger-ms", 5000));
        p.shutdown();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sent", sent.get());
        r.put("failed", failed.get());
        Map<String, Object> c = new java.util.TreeMap<>();
        checks.forEach((k, v) -> c.put(k, v.get()));
        r.put("checks", c);
        r.put("ms", System.currentTimeMillis() - start);
        Report.print(r);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Moves a send's bornTimestamp (SEND_MESSAGE: bornTimestamp; SEND_MESSAGE_V2: field g) by {@code ms}. */
    static RPCHook clockAhead(long ms) {
        return new RPCHook() {
            @Override
            public void doBeforeRequest(String remoteAddr, RemotingCommand request) {
                if (request.getCode() != SEND_MESSAGE && request.getCode() != SEND_MESSAGE_V2) return;
                Object h = request.readCustomHeader();
                if (h == null) return;
                String field = request.getCode() == SEND_MESSAGE_V2 ? "G" : "BornTimestamp";
                try {
                    Long born = (Long) h.getClass().getMethod("get" + field).invoke(h);
                    h.getClass().getMethod("set" + field, Long.class).invoke(h, born + ms);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void doAfterResponse(String remoteAddr, RemotingCommand request, RemotingCommand response) {
            }
        };
    }
}
