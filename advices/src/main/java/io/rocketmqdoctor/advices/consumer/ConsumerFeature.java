package io.rocketmqdoctor.advices.consumer;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;

import java.util.Arrays;
import java.util.List;

import static io.rocketmqdoctor.install.TypeInstrumentation.Member.field;
import static io.rocketmqdoctor.install.TypeInstrumentation.Member.method;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Switch {@code consumer} (issue 16, first part): why a push consumer's backlog grows. The consume thread pool that
 * never grows past consumeThreadMin (ConsumeMessageConcurrentlyService builds it on an unbounded queue, so
 * consumeThreadMax has no effect: apache/rocketmq #281, #1752, #3493, #5290), how long each consume call of the
 * listener takes, a listener call that does not return, and the client's own flow control (pulls held back because
 * too many messages are cached). Fix: the pool's core size is raised to consumeThreadMax when it is built.
 * The classes and fields are the same from 4.3.0 to 5.5.x.
 */
public final class ConsumerFeature implements Feature {
    public static final String POOL_NEVER_GROWS = "consumer.pool-never-grows";
    public static final String POOL_RAISED = "consumer.pool-raised";
    public static final String LISTENER_STUCK = "consumer.listener-stuck";
    public static final String FLOW_CONTROL = "consumer.flow-control";
    public static final String MIXED_SUBSCRIPTIONS = "consumer.mixed-subscriptions";
    public static final String CONSUME_HISTOGRAM = "consumer.consume";
    public static final String FLOW_CONTROL_COUNTER = "consumer.flow_control";

    static final String CONCURRENTLY = "org.apache.rocketmq.client.impl.consumer.ConsumeMessageConcurrentlyService";
    static final String ORDERLY = "org.apache.rocketmq.client.impl.consumer.ConsumeMessageOrderlyService";
    static final String PUSH_IMPL = "org.apache.rocketmq.client.impl.consumer.DefaultMQPushConsumerImpl";
    static final String CONSUMER_MANAGER = "org.apache.rocketmq.broker.client.ConsumerManager";

    @Override
    public String name() { return "consumer"; }

    @Override
    public String description() {
        return "push consumers: a consume pool that never grows past consumeThreadMin, consume time by group and topic, stuck listeners, "
                + "the client's flow control; brokers: mixed subscriptions in one group; fix: the pool's core size raised to consumeThreadMax";
    }

    @Override
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() {
        return Arrays.asList(ConfigOption.duration("consumer.stuck", "60s",
                "a listener call running this long is consumer.listener-stuck, reported once with its thread's stack"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Arrays.asList(
                pool(TypeInstrumentation.of(CONCURRENTLY, VersionRange.KNOWN)),
                pool(TypeInstrumentation.of(ORDERLY, VersionRange.KNOWN)),
                TypeInstrumentation.of(CONCURRENTLY + "$ConsumeRequest", VersionRange.KNOWN)
                        .advise("run()", named("run").and(takesArguments(0)), ConsumerAdvice.Consume.class),
                // not ConsumeMessageOrderlyService$ConsumeRequest: its run() consumes batch after batch under the queue's lock
                // for up to a minute, so it is no single listener call (neither to time nor to call stuck)
                TypeInstrumentation.of(PUSH_IMPL, VersionRange.KNOWN)
                        .reads(field(null, "queueFlowControlTimes"), field(null, "queueMaxSpanFlowControlTimes"),
                                field(null, "defaultMQPushConsumer"))
                        .advise("start()", named("start").and(takesArguments(0)), ConsumerAdvice.Started.class),
                // on the broker: every consumer heartbeat's subscriptions (7 arguments; 5.x also 8, with updateSubscription)
                TypeInstrumentation.of(CONSUMER_MANAGER, VersionRange.KNOWN)
                        .reads(method("org.apache.rocketmq.broker.client.ClientChannelInfo", "getClientId", 0))
                        .advise("registerConsumer(String,ClientChannelInfo,...,Set,...)", named("registerConsumer")
                                .and(takesArgument(0, String.class)).and(takesArgument(5, java.util.Set.class)), ConsumerAdvice.Registered.class));
    }

    private static TypeInstrumentation pool(TypeInstrumentation t) {
        return t.advise("<init>", isConstructor(), ConsumerAdvice.PoolBuilt.class);
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(POOL_NEVER_GROWS, Severity.WARN, "a consumer's requests wait in its consume pool's queue while the pool stays at "
                                + "consumeThreadMin: its unbounded queue means consumeThreadMax is never used",
                        "consumer.fix=true (raises the core size to consumeThreadMax), or set consumeThreadMin to the threads you want", "any"),
                FindingCode.of(POOL_RAISED, Severity.INFO, "consumer.fix raised a consume pool's core size to consumeThreadMax",
                        "none; to do without the agent, set consumeThreadMin to the threads you want", "any"),
                FindingCode.of(LISTENER_STUCK, Severity.WARN, "a listener call has run for consumer.stuck or longer; its thread's stack says what it waits on. "
                                + "Its message holds its queue's committed offset until it returns",
                        "fix what the stack waits on (a database, a lock, an HTTP call without timeout); give the listener timeouts", "any"),
                FindingCode.of(MIXED_SUBSCRIPTIONS, Severity.ERROR, "on the broker: consumers of one group subscribe to one topic with different "
                                + "expressions; the broker keeps one, so part of the messages reach no consumer that wanted them",
                        "one consumer group per subscription (several listeners must not share a group)", "any broker"),
                FindingCode.of(FLOW_CONTROL, Severity.WARN, "the client held back its pulls because too many messages (or too wide an offset span) "
                                + "were cached: the listener does not keep up",
                        "see the consume time (consumer.consume) and consumer.pool-never-grows; more consumers or a faster listener", "any"));
    }

    @Override
    public List<MetricFamily> metrics() {
        return Arrays.asList(
                MetricFamily.of(CONSUME_HISTOGRAM, MetricFamily.Kind.LATENCY, "group, topic",
                        "one consume call of a push consumer (the listener and the client's bookkeeping around it)"),
                MetricFamily.of(FLOW_CONTROL_COUNTER, MetricFamily.Kind.COUNTER, "group, kind",
                        "pulls the client held back: kind cache (message count or size over its thresholds) or span (offset span)"));
    }

    @Override
    public void start(FeatureContext context) {
        ConsumerPools.fix = context.fix();
        ConsumeTimes.stuckNanos = context.millis("consumer.stuck") * 1_000_000L;
        context.everyInterval(new Runnable() {
            @Override
            public void run() {
                ConsumerPools.check();
                ConsumeTimes.checkStuck();
            }
        });
        context.onStop(new Runnable() {
            @Override
            public void run() {
                ConsumerPools.reset();
                ConsumeTimes.reset();
                MixedSubscriptions.reset();
            }
        });
    }
}
