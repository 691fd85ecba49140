package io.rocketmqdoctor.advices.consumer;

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
 * Switch {@code consumer}: why a push consumer's backlog grows. The consume thread pool that never grows
 * past consumeThreadMin (ConsumeMessageConcurrentlyService builds it on an unbounded queue, so consumeThreadMax has no
 * effect: apache/rocketmq #281, #1752, #3493, #5290); how long each consume call of the listener takes (concurrently
 * and orderly); a listener call that does not return, the queue it pins and its redelivery past consumeTimeout
 * (#1037, #1600); the client's own flow control; a queue the consumer no longer pulls (#1918); consumers of one group
 * with different subscriptions, seen by the broker and by the consumer (#2836, #7717). Fixes: the pool's core size is
 * raised to consumeThreadMax when it is built; a queue whose pulls stopped is restarted from its committed offset.
 * The classes and fields are the same from 4.3.0 to 5.5.x (but ProcessQueue.takeMessags before 4.4.0).
 */
public final class ConsumerFeature implements Feature {
    public static final String POOL_NEVER_GROWS = "consumer.pool-never-grows";
    public static final String POOL_RAISED = "consumer.pool-raised";
    public static final String LISTENER_STUCK = "consumer.listener-stuck";
    public static final String FLOW_CONTROL = "consumer.flow-control";
    public static final String MIXED_SUBSCRIPTIONS = "consumer.mixed-subscriptions";
    public static final String CONSUME_TIMEOUT = "consumer.consume-timeout";
    public static final String PULL_STOPPED = "consumer.pull-stopped";
    public static final String PULL_RESTARTED = "consumer.pull-restarted";
    public static final String SUBSCRIPTION_OVERRIDDEN = "consumer.subscription-overridden";
    public static final String CONSUME_HISTOGRAM = "consumer.consume";
    public static final String FLOW_CONTROL_COUNTER = "consumer.flow_control";

    static final String CONCURRENTLY = "org.apache.rocketmq.client.impl.consumer.ConsumeMessageConcurrentlyService";
    static final String ORDERLY = "org.apache.rocketmq.client.impl.consumer.ConsumeMessageOrderlyService";
    static final String PUSH_IMPL = "org.apache.rocketmq.client.impl.consumer.DefaultMQPushConsumerImpl";
    static final String CONSUMER_MANAGER = "org.apache.rocketmq.broker.client.ConsumerManager";
    static final String PROCESS_QUEUE = "org.apache.rocketmq.client.impl.consumer.ProcessQueue";
    static final String PUSH = "org.apache.rocketmq.client.consumer.DefaultMQPushConsumer";
    static final String MESSAGE_QUEUE = "org.apache.rocketmq.common.message.MessageQueue";
    static final String MESSAGE_EXT = "org.apache.rocketmq.common.message.MessageExt";

    @Override
    public String name() { return "consumer"; }

    @Override
    public String description() {
        return "push consumers: a consume pool that never grows past consumeThreadMin, consume time by group and topic, stuck listeners "
                + "and their redelivery past consumeTimeout, the client's flow control, queues no longer pulled, a subscription the broker "
                + "overrides; brokers: mixed subscriptions in one group; fixes: the pool's core size raised to consumeThreadMax, stopped "
                + "pulls restarted";
    }

    @Override
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() {
        return Arrays.asList(ConfigOption.duration("consumer.stuck", "60s",
                        "a listener call running this long is consumer.listener-stuck, reported once with its thread's stack"),
                ConfigOption.duration("consumer.pull-idle", "60s",
                        "a held queue whose last pull is this old (plus the consumer's pullInterval) is consumer.pull-stopped: twice the "
                                + "30 s in which a long poll is answered or times out"),
                ConfigOption.durationOrZero("consumer.subscription-check", "60s",
                        "how often a push consumer asks its brokers which subscription they keep for its group "
                                + "(consumer.subscription-overridden); 0 turns the check off"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Arrays.asList(
                pool(TypeInstrumentation.of(CONCURRENTLY, VersionRange.KNOWN)),
                TypeInstrumentation.of(CONCURRENTLY + "$ConsumeRequest", VersionRange.KNOWN)
                        .reads(field(null, "messageQueue"), field(null, "processQueue"), field(null, "msgs"), field(null, "this$0"),
                                field(CONCURRENTLY, "defaultMQPushConsumerImpl"), field(CONCURRENTLY, "defaultMQPushConsumer"),
                                method(PUSH, "getConsumeTimeout", 0), method(PROCESS_QUEUE, "getMsgCount", 0),
                                method(MESSAGE_QUEUE, "getTopic", 0), method(MESSAGE_QUEUE, "getBrokerName", 0))
                        .advise("run()", Methods.named("run").args(0), ConsumerAdvice.Consume.class),
                // an orderly run() consumes batch after batch under the queue's lock for up to a minute: each call runs from
                // takeMessages (takeMessags before 4.4.0) to processConsumeResult
                TypeInstrumentation.of(ORDERLY + "$ConsumeRequest", VersionRange.KNOWN)
                        .reads(field(null, "processQueue"), field(null, "this$0"), field(ORDERLY, "consumerGroup"))
                        .advise("run()", Methods.named("run").args(0), ConsumerAdvice.OrderlyRun.class),
                TypeInstrumentation.of(PROCESS_QUEUE, VersionRange.KNOWN)
                        .advise("takeMessages(int)", Methods.named("takeMessages", "takeMessags").args(1),
                                ConsumerAdvice.OrderlyTaken.class),
                orderlyResult(TypeInstrumentation.of(ORDERLY, VersionRange.KNOWN)),
                TypeInstrumentation.of(PUSH_IMPL, VersionRange.KNOWN)
                        .reads(field(null, "queueFlowControlTimes"), field(null, "queueMaxSpanFlowControlTimes"),
                                field(null, "defaultMQPushConsumer"), method(null, "getDefaultMQPushConsumer", 0), method(null, "getServiceState", 0), method(null, "getRebalanceImpl", 0),
                                method(null, "getOffsetStore", 0), method(null, "getmQClientFactory", 0), method(PUSH, "getPullInterval", 0),
                                method("org.apache.rocketmq.client.impl.consumer.RebalanceImpl", "getProcessQueueTable", 0),
                                method("org.apache.rocketmq.client.impl.factory.MQClientInstance", "rebalanceImmediately", 0),
                                method(PROCESS_QUEUE, "isDropped", 0), method(PROCESS_QUEUE, "getLastPullTimestamp", 0),
                                method(PROCESS_QUEUE, "setLastPullTimestamp", 1), method(PROCESS_QUEUE, "getMsgSize", 0),
                                method(PROCESS_QUEUE, "getMaxSpan", 0), method(PUSH, "getPullThresholdForQueue", 0),
                                method(PUSH, "getPullThresholdSizeForQueue", 0), method(PUSH, "getConsumeConcurrentlyMaxSpan", 0),
                                method("org.apache.rocketmq.client.impl.consumer.RebalanceImpl", "getSubscriptionInner", 0),
                                method("org.apache.rocketmq.client.impl.factory.MQClientInstance", "findBrokerAddressInPublish", 1),
                                method("org.apache.rocketmq.client.impl.factory.MQClientInstance", "getMQClientAPIImpl", 0),
                                method("org.apache.rocketmq.client.impl.MQClientAPIImpl", "getConsumerConnectionList", 3),
                                // what the findings of a stuck call and a stopped pull name: the group, the message, the queue's end
                                method(PUSH, "getConsumerGroup", 0), method(MESSAGE_EXT, "getMsgId", 0), method(MESSAGE_EXT, "getQueueOffset", 0),
                                method("org.apache.rocketmq.client.impl.factory.MQClientInstance", "getMQAdminImpl", 0),
                                method("org.apache.rocketmq.client.impl.MQAdminImpl", "maxOffset", 1),
                                method("org.apache.rocketmq.client.consumer.store.OffsetStore", "readOffset", 2))
                        .advise("start()", Methods.named("start").args(0), ConsumerAdvice.Started.class),
                // on the broker: every consumer heartbeat's subscriptions (7 arguments; 5.x also 8, with updateSubscription)
                TypeInstrumentation.of(CONSUMER_MANAGER, VersionRange.KNOWN)
                        .reads(method("org.apache.rocketmq.broker.client.ClientChannelInfo", "getClientId", 0),
                                method(null, "getConsumerGroupInfo", 1),
                                method("org.apache.rocketmq.broker.client.ConsumerGroupInfo", "getAllClientId", 0))
                        .advise("registerConsumer(String,ClientChannelInfo,...,Set,...)", Methods.named("registerConsumer")
                                .arg(0, String.class).arg(5, java.util.Set.class), ConsumerAdvice.Registered.class));
    }

    private static TypeInstrumentation pool(TypeInstrumentation t) {
        return t.advise("<init>", Methods.constructor(), ConsumerAdvice.PoolBuilt.class);
    }

    private static TypeInstrumentation orderlyResult(TypeInstrumentation t) {
        return pool(t).advise("processConsumeResult(List,ConsumeOrderlyStatus,ConsumeOrderlyContext,ConsumeRequest)",
                Methods.named("processConsumeResult").args(4), ConsumerAdvice.OrderlyConsumed.class);
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(POOL_NEVER_GROWS, Severity.WARN, "a consumer's requests wait in its consume pool's queue, every thread busy, while the pool stays at "
                                + "consumeThreadMin (three checks in a row): its unbounded queue means consumeThreadMax is never used",
                        "consumer.fix=true (raises the core size to consumeThreadMax), or set consumeThreadMin to the threads you want", "any"),
                FindingCode.of(POOL_RAISED, Severity.INFO, "consumer.fix raised a consume pool's core size to consumeThreadMax",
                        "none; to do without the agent, set consumeThreadMin to the threads you want", "any"),
                FindingCode.of(LISTENER_STUCK, Severity.WARN, "a listener call has run for consumer.stuck or longer; its thread's stack says what it waits on. "
                                + "Its message holds its queue's committed offset until it returns",
                        "fix what the stack waits on (a database, a lock, an HTTP call without timeout); give the listener timeouts", "any"),
                FindingCode.of(CONSUME_TIMEOUT, Severity.WARN, "a listener call has run past its consumer's consumeTimeout: RocketMQ sends "
                                + "its queue's oldest message back for redelivery while the listener still runs it (#1600)",
                        "make the listener return within consumeTimeout, or raise consumeTimeout; make the listener idempotent", "any"),
                FindingCode.of(PULL_STOPPED, Severity.WARN, "a queue the consumer holds has not been pulled for consumer.pull-idle: its pull "
                                + "chain ended (an Error in the pull's callback) and RocketMQ repairs it only after 120 s (#1918)",
                        "consumer.fix=true restarts its pulls at once; find the Error in the client's log", "any"),
                FindingCode.of(PULL_RESTARTED, Severity.INFO, "consumer.fix restarted the pulls of a stopped queue from its committed offset "
                                + "(RocketMQ's own 'pull is pause' repair, run at once)", "none; find the Error that ended the pulls", "any"),
                FindingCode.of(SUBSCRIPTION_OVERRIDDEN, Severity.ERROR, "on a consumer: the broker filters its group's pulls with another "
                                + "consumer's subscription (or keeps none for its topic: SUBSCRIPTION_NOT_EXIST), so messages it asked for reach nobody",
                        "one consumer group per subscription (several listeners must not share a group)", "any"),
                FindingCode.of(MIXED_SUBSCRIPTIONS, Severity.ERROR, "on the broker: consumers of one group subscribe to one topic with different "
                                + "expressions, or to different topics; the broker keeps one, so part of the messages reach no consumer that wanted them",
                        "one consumer group per subscription (several listeners must not share a group)", "any broker"),
                FindingCode.of(FLOW_CONTROL, Severity.WARN, "the client held back its pulls because too many messages (or too wide an offset span) "
                                + "were cached, in three checks in a row: the listener does not keep up",
                        "see the consume time (consumer.consume) and consumer.pool-never-grows; more consumers or a faster listener", "any"));
    }

    @Override
    public List<MetricFamily> metrics() {
        return Arrays.asList(
                MetricFamily.of(CONSUME_HISTOGRAM, MetricFamily.Kind.LATENCY, "group, topic",
                        "one consume call of a push consumer, concurrently or orderly (the listener and the client's bookkeeping around it)"),
                MetricFamily.of(FLOW_CONTROL_COUNTER, MetricFamily.Kind.COUNTER, "group, kind",
                        "pulls the client held back: kind cache (message count or size over its thresholds) or span (offset span)"));
    }

    @Override
    public void start(FeatureContext context) {
        ConsumerPools.fix = context.fix();
        ConsumeTimes.stuckNanos = context.millis("consumer.stuck") * 1_000_000L;
        StoppedPulls.fix = context.fix();
        StoppedPulls.idleMillis = context.millis("consumer.pull-idle");
        StoppedPulls.intervalMillis = context.millis("interval");
        SubscriptionCheck.periodMillis = context.millis("consumer.subscription-check");
        context.everyInterval(new Runnable() {
            @Override
            public void run() {
                ConsumerPools.check();
                ConsumeTimes.checkStuck();
                List<Object> consumers = ConsumerPools.consumers();
                StoppedPulls.check(consumers);
                SubscriptionCheck.check(consumers);
            }
        });
        context.onStop(new Runnable() {
            @Override
            public void run() {
                ConsumerPools.reset();
                ConsumeTimes.reset();
                StoppedPulls.reset();
                SubscriptionCheck.reset();
                MixedSubscriptions.reset();
            }
        });
    }
}
