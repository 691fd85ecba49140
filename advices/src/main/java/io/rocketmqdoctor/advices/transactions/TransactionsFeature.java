package io.rocketmqdoctor.advices.transactions;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.Methods;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;

import java.util.Arrays;
import java.util.List;

import static io.rocketmqdoctor.install.TypeInstrumentation.Member.field;
import static io.rocketmqdoctor.install.TypeInstrumentation.Member.method;

/**
 * Switch {@code transactions}: transaction check storms (apache/rocketmq #9640, #1517, #1566, #8158, #2133, #8311):
 * on the broker, each producer host's clock against its half messages' born times, the half messages given up after
 * transactionCheckMax checks, and 5.5.0's op-batch thread spinning a core (#10966); on the producer, checks for
 * transactions this JVM already ended, checks explained by this host's clock, checks for topics no producer of the
 * group here sends. The fix is #10967's: an idle op-batch thread waits its interval (5.5.0).
 */
public final class TransactionsFeature implements Feature {
    public static final String CLOCK_SKEW = "transactions.clock-skew";
    public static final String UNEXPECTED_CHECK = "transactions.unexpected-check";
    public static final String FOREIGN_CHECK = "transactions.foreign-check";
    public static final String HALF_DISCARDED = "transactions.half-discarded";
    public static final String OP_BATCH_SPIN = "transactions.op-batch-spin";
    public static final String OP_BATCH_FIXED = "transactions.op-batch-fixed";
    public static final String CHECKS = "transactions.checks";
    public static final String HALF_DISCARDED_COUNTER = "transactions.half_discarded";

    static final String SERVICE = "org.apache.rocketmq.broker.transaction.queue.TransactionalMessageServiceImpl";
    static final String PRODUCER_IMPL = "org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl";
    static final String MESSAGE = "org.apache.rocketmq.common.message.Message";
    static final String MESSAGE_EXT = "org.apache.rocketmq.common.message.MessageExt";
    static final String SEND_RESULT = "org.apache.rocketmq.client.producer.SendResult";
    static final String[] INNER = {"org.apache.rocketmq.store.MessageExtBrokerInner", "org.apache.rocketmq.common.message.MessageExtBrokerInner"};

    @Override
    public String name() { return "transactions"; }

    @Override
    public String description() {
        return "producer clocks off by more than the check window (broker and producer), checks for transactions already ended or of "
                + "another application, half messages discarded after the maximum checks, 5.5.0's spinning op-batch thread; "
                + "fix: that thread waits its interval when idle (#10967)";
    }

    @Override
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() {
        return Arrays.asList(ConfigOption.duration("transactions.max-clock-skew", "6s",
                "a producer clock off from a broker's by more than this is transactions.clock-skew (6 s: RocketMQ's default "
                        + "transactionTimeOut, the age under which a broker leaves a half message unchecked)"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        TypeInstrumentation.Member[] half = {method(MESSAGE_EXT, "getBornTimestamp", 0), method(MESSAGE_EXT, "getBornHost", 0),
                method(MESSAGE, "getProperty", 1), method(MESSAGE, "getTopic", 0)};
        return Arrays.asList(
                TypeInstrumentation.of(SERVICE, VersionRange.KNOWN).reads(half)
                        .advise("prepareMessage(MessageExtBrokerInner)", Methods.named("prepareMessage").args(1).arg(0, INNER),
                                TransactionsAdvice.HalfArrived.class)
                        .advise("asyncPrepareMessage(MessageExtBrokerInner)", VersionRange.of("4.7.0", "5.6.0"),
                                Methods.named("asyncPrepareMessage").args(1).arg(0, INNER), TransactionsAdvice.HalfArrived.class),
                TypeInstrumentation.of(SERVICE, VersionRange.of("5.1.0", "5.6.0"))
                        .reads(field(null, "transactionalMessageBridge"), field(null, "deleteContext"),
                                method("org.apache.rocketmq.broker.transaction.queue.TransactionalMessageBridge", "getBrokerController", 0),
                                method("org.apache.rocketmq.broker.BrokerController", "getBrokerConfig", 0),
                                method("org.apache.rocketmq.common.BrokerConfig", "getTransactionOpBatchInterval", 0),
                                method("org.apache.rocketmq.broker.transaction.queue.MessageQueueOpContext", "getTotalSize", 0),
                                method("org.apache.rocketmq.broker.transaction.queue.MessageQueueOpContext", "getContextQueue", 0))
                        .advise("batchSendOpMessage()", Methods.named("batchSendOpMessage").args(0), TransactionsAdvice.OpBatch.class),
                TypeInstrumentation.of("org.apache.rocketmq.broker.transaction.queue.DefaultTransactionalMessageCheckListener", VersionRange.KNOWN)
                        .reads(half)
                        .advise("resolveDiscardMsg(MessageExt)", Methods.named("resolveDiscardMsg").args(1), TransactionsAdvice.Discarded.class),
                TypeInstrumentation.of(PRODUCER_IMPL, VersionRange.KNOWN)
                        .reads(field(null, "defaultMQProducer"), method("org.apache.rocketmq.client.producer.DefaultMQProducer", "getProducerGroup", 0),
                                method(MESSAGE_EXT, "getBornTimestamp", 0), method(MESSAGE_EXT, "getStoreTimestamp", 0),
                                method(SEND_RESULT, "getMsgId", 0), method(SEND_RESULT, "getMessageQueue", 0))
                        .advise("checkTransactionState(String,MessageExt,CheckTransactionStateRequestHeader)",
                                Methods.named("checkTransactionState").args(3).arg(0, String.class), TransactionsAdvice.Checked.class)
                        .advise("endTransaction(SendResult,LocalTransactionState,Throwable)", VersionRange.of("4.3.0", "4.9.0"),
                                Methods.named("endTransaction").args(3), TransactionsAdvice.Ended3.class)
                        .advise("endTransaction(Message,SendResult,LocalTransactionState,Throwable)", VersionRange.of("4.9.0", "5.6.0"),
                                Methods.named("endTransaction").args(4), TransactionsAdvice.Ended4.class));
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(CLOCK_SKEW, Severity.WARN, "a producer's clock is off from a broker's by more than transactions.max-clock-skew "
                                + "(told by the broker from half messages' born times, by the producer from the checks it gets): its half "
                                + "messages are checked at once, while their transactions run, and a COMMIT answer commits them twice",
                        "sync the producer host's clock (chrony/NTP); a checker answers UNKNOW for a transaction still running", "every release"),
                FindingCode.of(UNEXPECTED_CHECK, Severity.WARN, "a broker checked transactions this JVM had ended (COMMIT or ROLLBACK sent "
                                + "10 s or more before): the one-way end was lost or late, the clocks differ, or an earlier check found the "
                                + "transaction running and its put-back copy is checked again",
                        "the broker's health when the ends were sent; a checker answers from the transaction's recorded outcome", "every release"),
                FindingCode.of(FOREIGN_CHECK, Severity.INFO, "a broker asked this JVM about a topic no producer of the group here has sent "
                                + "a transaction to since it started: another application shares the producer group, or a restart",
                        "one producer group per application", "every release"),
                FindingCode.of(HALF_DISCARDED, Severity.ERROR, "a broker gave up on half messages after transactionCheckMax checks; "
                                + "they are not delivered (moved to TRANS_CHECK_MAX_TIME_TOPIC from 4.5.2)",
                        "find why the group's checkers answer UNKNOW or nothing", "every release"),
                FindingCode.of(OP_BATCH_SPIN, Severity.WARN, "a broker's TransactionalOpBatchService thread used most of a core over an "
                                + "interval: 5.5.0 loops without sleeping once its op queues are empty (apache/rocketmq #10966)",
                        "transactions.fix=true, or a broker with #10967", "5.5.0"),
                FindingCode.of(OP_BATCH_FIXED, Severity.INFO, "transactions.fix made an idle op-batch thread wait transactionOpBatchInterval",
                        "a broker with #10967", "5.5.0"));
    }

    @Override
    public List<MetricFamily> metrics() {
        return Arrays.asList(
                MetricFamily.of(CHECKS, MetricFamily.Kind.COUNTER, "group, kind",
                        "transaction checks a producer got; kind: open (not ended here), ended (ended here 10 s or more before), recheck "
                                + "(ended, and an earlier check found it running), skewed (explained by this host's clock), foreign (a topic the group does not send here)"),
                MetricFamily.of(HALF_DISCARDED_COUNTER, MetricFamily.Kind.COUNTER, "group, topic",
                        "half messages a broker discarded after transactionCheckMax checks"));
    }

    @Override
    public void start(FeatureContext context) {
        OpBatchSpin.fix = context.fix();
        long skew = context.millis("transactions.max-clock-skew");
        ProducerClocks.maxSkewMs = skew;
        TransactionChecks.maxSkewMs = skew;
        context.everyInterval(new Runnable() {
            @Override
            public void run() {
                ProducerClocks.report();
                HalfDiscards.report();
                TransactionChecks.report();
                OpBatchSpin.sample();
            }
        });
        context.onStop(new Runnable() {
            @Override
            public void run() {
                ProducerClocks.reset();
                HalfDiscards.reset();
                TransactionChecks.reset();
                OpBatchSpin.reset();
            }
        });
    }
}
