package io.rocketmqdoctor.advices.retries;

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
import java.util.Collections;
import java.util.List;

import static io.rocketmqdoctor.install.TypeInstrumentation.Member.method;

/**
 * Switch {@code retries}: why a push consumer's messages come back (apache/rocketmq #2357, #2724, #1472, #2199, #9072):
 * what the listener threw, or RECONSUME_LATER, by group and topic; the messages that go to the dead-letter topic, with
 * the last cause; an orderly consumer retrying one message in place while its queue waits (#6163). RocketMQ keeps the
 * listener's exception nowhere but a log line: it is taken from the exceptionSimpleDesc call that writes it.
 * Detect only: what a listener should do with a message it cannot consume is the application's choice.
 */
public final class RetriesFeature implements Feature {
    public static final String SENT_BACK_FINDING = "retries.sent-back";
    public static final String DEAD_LETTERED_FINDING = "retries.dead-lettered";
    public static final String ORDERLY_STUCK = "retries.orderly-stuck";
    public static final String SENT_BACK = "retries.sent_back";
    public static final String DEAD_LETTERED = "retries.dead_lettered";
    public static final String DELIVERIES = "retries.failed_deliveries";

    static final String CONCURRENTLY = "org.apache.rocketmq.client.impl.consumer.ConsumeMessageConcurrentlyService";
    static final String ORDERLY = "org.apache.rocketmq.client.impl.consumer.ConsumeMessageOrderlyService";
    static final String MESSAGE = "org.apache.rocketmq.common.message.MessageExt";

    @Override
    public String name() { return "retries"; }

    @Override
    public String description() {
        return "messages a push consumer sends back, by group, topic and what the listener threw (or RECONSUME_LATER); those sent to "
                + "the dead-letter topic; orderly consumers retrying one message while its queue waits";
    }

    @Override
    public boolean hasFix() { return false; }

    @Override
    public List<ConfigOption> options() {
        return Collections.singletonList(ConfigOption.integer("retries.orderly-deliveries", 60, 2, 1_000_000,
                "an orderly consumer that has delivered one message this many times is retries.orderly-stuck (60: a minute at the "
                        + "default suspend of 1 s, past a transient failure)"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        TypeInstrumentation.Member[] msg = {method(MESSAGE, "getReconsumeTimes", 0), method(MESSAGE, "getMsgId", 0), method(MESSAGE, "getQueueId", 0),
                method("org.apache.rocketmq.common.message.Message", "getTopic", 0), method("org.apache.rocketmq.common.message.Message", "getKeys", 0)};
        return Arrays.asList(
                TypeInstrumentation.of(CONCURRENTLY, VersionRange.KNOWN).reads(msg)
                        .reads(method("org.apache.rocketmq.client.consumer.DefaultMQPushConsumer", "getMaxReconsumeTimes", 0),
                                method("org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext", "getDelayLevelWhenNextConsume", 0))
                        .advise("sendMessageBack(MessageExt,ConsumeConcurrentlyContext)",
                                Methods.named("sendMessageBack").args(2).arg(0, MESSAGE), RetriesAdvice.SentBack.class),
                TypeInstrumentation.of(CONCURRENTLY + "$ConsumeRequest", VersionRange.KNOWN)
                        .advise("run()", Methods.named("run").args(0), RetriesAdvice.Consume.class),
                TypeInstrumentation.of(ORDERLY, VersionRange.KNOWN).reads(msg).reads(method(null, "getMaxReconsumeTimes", 0))
                        .advise("checkReconsumeTimes(List)", Methods.named("checkReconsumeTimes").args(1), RetriesAdvice.OrderlyRetry.class),
                TypeInstrumentation.of(ORDERLY + "$ConsumeRequest", VersionRange.KNOWN)
                        .advise("run()", Methods.named("run").args(0), RetriesAdvice.Consume.class),
                // the call in ConsumeRequest.run's catch: RemotingHelper's up to 5.0.x, UtilAll's from 5.1
                TypeInstrumentation.of("org.apache.rocketmq.remoting.common.RemotingHelper", VersionRange.of("4.3.0", "5.1.0"))
                        .advise("exceptionSimpleDesc(Throwable)", Methods.named("exceptionSimpleDesc").args(Throwable.class),
                                RetriesAdvice.Described.class),
                TypeInstrumentation.of("org.apache.rocketmq.common.UtilAll", VersionRange.of("5.1.0", "5.6.0"))
                        .advise("exceptionSimpleDesc(Throwable)", Methods.named("exceptionSimpleDesc").args(Throwable.class),
                                RetriesAdvice.Described.class));
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(SENT_BACK_FINDING, Severity.INFO, "a consumer group sent messages back for another delivery; the finding names "
                                + "the topic, how many, and what the listener threw (the exception's class and message) or that it returned RECONSUME_LATER",
                        "handle a failure that will not pass in the listener rather than send the message back", "every release"),
                FindingCode.of(DEAD_LETTERED_FINDING, Severity.WARN, "a consumer group gave up on messages after maxReconsumeTimes deliveries: "
                                + "they went to %DLQ%group; the finding names the topic, how many and the listener's last failure",
                        "fix what the listener fails on, then resend the dead-lettered messages or accept them lost", "every release"),
                FindingCode.of(ORDERLY_STUCK, Severity.WARN, "an orderly consumer has delivered one message retries.orderly-deliveries "
                                + "times; its queue waits behind it (maxReconsumeTimes -1: forever)",
                        "fix what the listener fails on; set maxReconsumeTimes on orderly consumers", "every release"));
    }

    @Override
    public List<MetricFamily> metrics() {
        return Arrays.asList(
                MetricFamily.of(SENT_BACK, MetricFamily.Kind.COUNTER, "group, topic, cause",
                        "messages a push consumer sent back for another delivery; cause: the class the listener threw, or RECONSUME_LATER"),
                MetricFamily.of(DEAD_LETTERED, MetricFamily.Kind.COUNTER, "group, topic",
                        "messages a push consumer sent to its dead-letter topic %DLQ%group"),
                MetricFamily.of(DELIVERIES, MetricFamily.Kind.COUNTER, "group, deliveries",
                        "failed listener deliveries by group and by which delivery of the message it was (1, 2, 3-4, 5-8, 9-16, 17+): "
                                + "the reconsume counts as a histogram; a message failing for good climbs to maxReconsumeTimes"));
    }

    @Override
    public void start(FeatureContext context) {
        SentBackMessages.orderlyLimit = context.integer("retries.orderly-deliveries");
        context.everyInterval(new Runnable() {
            @Override
            public void run() { SentBackMessages.report(); }
        });
        context.onStop(new Runnable() {
            @Override
            public void run() { SentBackMessages.reset(); }
        });
    }
}
