package io.rocketmqdoctor.advices.brokerbusy;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.histo.Counters;

import java.util.Collection;

/**
 * SYSTEM_BUSY answers by broker and reason, and the fix's retry codes. A cold path: a healthy broker never answers
 * code 2, and a busy one is told once per broker and reason per findings window.
 */
public final class BusyBrokers {
    public static final int SYSTEM_BUSY = 2;
    private static final String HELP = "SYSTEM_BUSY answers a producer got to its sends, by broker and reason.";

    /** What became of SYSTEM_BUSY in this JVM's producers: its release decides, one for all its producers. */
    enum Retry {
        UNKNOWN("no producer of this JVM has started under the agent"),
        NATIVE("this client retries a sync send so answered on another broker itself (5.3.0+); async and one-way sends are not retried"),
        ADDED("brokerbusy.fix made this client retry a sync send so answered on another broker within its retries; async and "
                + "one-way sends are not retried"),
        NOT_ADDED("this client fails a sync send so answered at once, even with another broker healthy (SYSTEM_BUSY is not in its "
                + "retryResponseCodes, as it is from 5.3.0); brokerbusy.fix=true adds it"),
        NO_RETRY_CODES("this client (before 4.9.2) fails a sync send so answered at once, even with another broker healthy; it has "
                + "no retryResponseCodes, so brokerbusy.fix cannot change that: upgrade the client (5.3.0+ retries)");

        final String words;

        Retry(String words) { this.words = words; }
    }

    static volatile boolean fix;
    static volatile Retry retry = Retry.UNKNOWN;
    private static volatile boolean saidNoRetryCodes;

    private BusyBrokers() {}

    public static void answered(String broker, Object msg, String remark) {
        String reason = reason(remark);
        Counters.get(BrokerBusyFeature.ANSWERS, HELP, "broker", String.valueOf(broker), "reason", reason).increment();
        String topic = topic(msg);
        Findings.report(Finding.of("brokerbusy", BrokerBusyFeature.SYSTEM_BUSY, Severity.WARN, broker + "|" + reason,
                "broker " + broker + " answered a send of topic " + topic + " with SYSTEM_BUSY " + reason + ": " + meaning(reason)
                        + "; " + retry.words,
                remedy(reason))
                .with("broker", broker).with("reason", reason).with("topic", topic).with("remark", String.valueOf(remark))
                .with("retry", retry.name().toLowerCase(java.util.Locale.ROOT)));
    }

    /** The reason in brackets at the start of the broker's remark. */
    static String reason(String remark) {
        if (remark != null && remark.startsWith("[")) {
            int end = remark.indexOf(']');
            if (end > 1 && end < 40) return remark.substring(0, end + 1);
        }
        return "[UNKNOWN]";
    }

    static String meaning(String reason) {
        if ("[REJECTREQUEST]".equals(reason)) {
            return "the broker refused the request before reading it, because a put has held its commit-log lock longer than "
                    + "osPageCacheBusyTimeOutMills (the OS page cache is busy), or, with transientStorePoolEnable, it has no "
                    + "transient store buffer left";
        }
        if ("[TIMEOUT_CLEAN_QUEUE]".equals(reason)) {
            return "the send waited in the broker's send queue longer than waitTimeMillsInSendQueue; with 'size of queue: 0' in the "
                    + "remark one slow put held it up, not a flood of sends";
        }
        if ("[PCBUSY_CLEAN_QUEUE]".equals(reason)) {
            return "a put has held the commit-log lock longer than osPageCacheBusyTimeOutMills, and the broker dropped the sends "
                    + "queued behind it";
        }
        if ("[PC_SYNCHRONIZED]".equals(reason)) {
            return "the store refused the put because the OS page cache was busy (5.3.0+ brokers answer it as SYSTEM_BUSY)";
        }
        if ("[OVERLOAD]".equals(reason)) {
            return "the broker's send queue was full (sendThreadPoolQueueCapacity)";
        }
        return "the broker gave no known reason";
    }

    static String remedy(String reason) {
        if ("[REJECTREQUEST]".equals(reason) || "[PCBUSY_CLEAN_QUEUE]".equals(reason) || "[PC_SYNCHRONIZED]".equals(reason)) {
            return "look at that broker's put latency and the host's memory and disk (store.slow-put, stall.non-gc-pause, "
                    + "os.memory-settings); with transientStorePoolEnable, its transientStorePoolSize";
        }
        if ("[TIMEOUT_CLEAN_QUEUE]".equals(reason)) {
            return "look at that broker's put latency (store.put, store.slow-put); raise waitTimeMillsInSendQueue only if puts are healthy";
        }
        return "look at that broker's load and put latency";
    }

    private static String topic(Object msg) {
        try {
            return String.valueOf(Reflect.call(msg, "getTopic"));
        } catch (Exception e) {
            return "?";
        }
    }

    /** A producer started: whether it retries code 2, and with the fix, making it do so. */
    @SuppressWarnings("unchecked")
    public static void started(Object producerImpl) throws Exception {
        Object producer = Reflect.field(producerImpl, "defaultMQProducer");
        Collection<Integer> codes;
        try {
            codes = (Collection<Integer>) producer.getClass().getMethod("getRetryResponseCodes").invoke(producer);
        } catch (NoSuchMethodException before492) {
            retry = Retry.NO_RETRY_CODES;
            if (fix && !saidNoRetryCodes) {
                saidNoRetryCodes = true;
                AgentLog.warn("brokerbusy.fix: this client has no retryResponseCodes (4.9.2+), so SYSTEM_BUSY cannot be made "
                        + "retriable here; the answers are still counted and told");
            }
            return;
        }
        if (codes.contains(SYSTEM_BUSY)) {
            if (retry != Retry.ADDED) retry = Retry.NATIVE;
            return;
        }
        if (!fix) {
            retry = Retry.NOT_ADDED;
            return;
        }
        producer.getClass().getMethod("addRetryResponseCode", int.class).invoke(producer, SYSTEM_BUSY);
        retry = Retry.ADDED;
        AgentLog.info("brokerbusy.fix: producer group " + Reflect.call(producer, "getProducerGroup")
                + " retries SYSTEM_BUSY on another broker (added to its retryResponseCodes, as 5.3.0+ has it)");
    }
}
