package io.rocketmqdoctor.advices.offsets;

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

import static io.rocketmqdoctor.install.TypeInstrumentation.Member.field;
import static io.rocketmqdoctor.install.TypeInstrumentation.Member.method;

/**
 * Switch {@code offsets}: consumer offsets that move backward, the first cause of "consumed again" reports (apache/rocketmq
 * #4215, #2181, #1094, #1440, #7790, #3210): on the broker, the store's correction of a pull outside the queue, a commit
 * lower than the stored offset, a slave's offsets overwritten by a restarted master's, a new group told to start at 0;
 * on the client, an offset set lower and why. The fix moves an offset past a queue's end to the end, not to 0, on
 * brokers up to 4.9.3 (apache/rocketmq #4219); every other cause is told, not changed (docs/offsets.md says why).
 */
public final class OffsetsFeature implements Feature {
    public static final String REWIND = "offsets.rewind";
    public static final String NEW_GROUP_FROM_ZERO = "offsets.new-group-from-zero";
    public static final String OVERFLOW_FIXED = "offsets.overflow-fixed";
    public static final String REWINDS = "offsets.rewinds";

    static final String STORE = "org.apache.rocketmq.store.DefaultMessageStore";
    static final String RESULT = "org.apache.rocketmq.store.GetMessageResult";
    static final String MANAGER = "org.apache.rocketmq.broker.offset.ConsumerOffsetManager";
    static final String BROKER = "org.apache.rocketmq.broker.BrokerController";
    static final String COMMAND = "org.apache.rocketmq.remoting.protocol.RemotingCommand";
    static final String MESSAGE_QUEUE = "org.apache.rocketmq.common.message.MessageQueue";

    @Override
    public String name() { return "offsets"; }

    @Override
    public String description() {
        return "consumer offsets moved backward (the broker's correction of a pull, a lower commit, a slave's sync, a reset) with the "
                + "messages consumed again, and new groups started at 0; fix: an offset past a queue's end goes to the end, not 0 (brokers up to 4.9.3)";
    }

    @Override
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() {
        return Collections.singletonList(ConfigOption.integer("offsets.rewind-threshold", 1000, 1, Long.MAX_VALUE / 4,
                "an offsets.rewind that delivers this many messages again or more is an error; fewer, a warning; none, an info"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        TypeInstrumentation.Member[] answer = {method(RESULT, "getStatus", 0), method(RESULT, "getNextBeginOffset", 0),
                method(RESULT, "getMinOffset", 0), method(RESULT, "getMaxOffset", 0), method(RESULT, "setNextBeginOffset", 1)};
        return Arrays.asList(
                // 4.x: getMessage(group, topic, queueId, offset, maxMsgNums, filter); 5.x: that one calls the 7-argument one
                TypeInstrumentation.of(STORE, VersionRange.of("4.3.0", "5.0.0")).reads(answer)
                        .reads(method(null, "getMaxOffsetInQueue", 2))
                        .advise("getMessage(String,String,int,long,int,MessageFilter)",
                                Methods.named("getMessage").args(6).arg(0, String.class).arg(3, long.class), OffsetsAdvice.Pulled.class),
                TypeInstrumentation.of(STORE, VersionRange.of("5.0.0", "5.6.0")).reads(answer)
                        .reads(method(null, "getMaxOffsetInQueue", 2))
                        .advise("getMessage(String,String,int,long,int,int,MessageFilter)",
                                Methods.named("getMessage").args(7).arg(0, String.class).arg(3, long.class), OffsetsAdvice.Pulled.class),
                TypeInstrumentation.of(MANAGER, VersionRange.KNOWN)
                        .reads(field(null, "offsetTable"), field(null, "brokerController"), method(null, "queryOffset", 3),
                                method(null, "getOffsetTable", 0), method(BROKER, "getMessageStore", 0))
                        .advise("commitOffset(String,String,int,long)",
                                Methods.named("commitOffset").args(String.class, String.class, int.class, long.class), OffsetsAdvice.Committing.class),
                TypeInstrumentation.of("org.apache.rocketmq.broker.processor.ConsumerManageProcessor", VersionRange.KNOWN)
                        .reads(field(null, "brokerController"), method(BROKER, "getConsumerOffsetManager", 0), method(BROKER, "getMessageStore", 0),
                                method(BROKER, "getConsumerManager", 0),
                                method("org.apache.rocketmq.broker.client.ConsumerManager", "getConsumerGroupInfo", 1),
                                method("org.apache.rocketmq.broker.client.ConsumerGroupInfo", "getConsumeFromWhere", 0))
                        .advise("queryConsumerOffset(ChannelHandlerContext,RemotingCommand)",
                                Methods.named("queryConsumerOffset").args(2).arg(1, COMMAND), OffsetsAdvice.Queried.class),
                TypeInstrumentation.of("org.apache.rocketmq.broker.processor.AdminBrokerProcessor", VersionRange.KNOWN)
                        .advise("resetOffset(ChannelHandlerContext,RemotingCommand)",
                                Methods.named("resetOffset").args(2).arg(1, COMMAND), OffsetsAdvice.ResetAsked.class),
                TypeInstrumentation.of("org.apache.rocketmq.broker.slave.SlaveSynchronize", VersionRange.KNOWN)
                        .reads(field(null, "brokerController"), method(BROKER, "getConsumerOffsetManager", 0))
                        .advise("syncConsumerOffset()", Methods.named("syncConsumerOffset").args(0), OffsetsAdvice.SlaveSync.class),
                TypeInstrumentation.of("org.apache.rocketmq.client.consumer.store.RemoteBrokerOffsetStore", VersionRange.KNOWN)
                        .reads(field(null, "offsetTable"), field(null, "groupName"), method(MESSAGE_QUEUE, "getTopic", 0),
                                method(MESSAGE_QUEUE, "getQueueId", 0), method(MESSAGE_QUEUE, "getBrokerName", 0))
                        .advise("updateOffset(MessageQueue,long,boolean)",
                                Methods.named("updateOffset").args(3).arg(1, long.class).arg(2, boolean.class), OffsetsAdvice.Updating.class)
                        // 5.2.0+: a pull's correction and a reset freeze the offset they set
                        .advise("updateAndFreezeOffset(MessageQueue,long)", VersionRange.of("5.2.0", "5.6.0"),
                                Methods.named("updateAndFreezeOffset").args(2).arg(1, long.class), OffsetsAdvice.Freezing.class),
                TypeInstrumentation.of("org.apache.rocketmq.client.impl.consumer.PullAPIWrapper", VersionRange.KNOWN)
                        .reads(method("org.apache.rocketmq.client.consumer.PullResult", "getPullStatus", 0),
                                method("org.apache.rocketmq.client.consumer.PullResult", "getMinOffset", 0),
                                method("org.apache.rocketmq.client.consumer.PullResult", "getMaxOffset", 0),
                                method("org.apache.rocketmq.client.consumer.PullResult", "getNextBeginOffset", 0))
                        .advise("processPullResult(MessageQueue,PullResult,SubscriptionData)",
                                Methods.named("processPullResult").args(3), OffsetsAdvice.PullResult.class),
                TypeInstrumentation.of("org.apache.rocketmq.client.impl.factory.MQClientInstance", VersionRange.KNOWN)
                        .advise("resetOffset(String,String,Map)", Methods.named("resetOffset").args(3), OffsetsAdvice.Reset.class));
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(REWIND, Severity.ERROR, "error when it delivers offsets.rewind-threshold messages again or more; "
                                + "a warning for fewer; an info when none, for a reset, for a client's broker-correction (the broker's "
                                + "agent tells its cause) and for a slave's sync under the threshold",
                        "a consumer group's offset of a queue moved backward; the finding names the cause (overflow-correction: a broker up to "
                                + "4.9.3 moved an offset past the queue's end to 0; no-message-in-queue; lower-commit; slave-sync; past-end; on a "
                                + "client: broker-correction, reset, lower-update), the queues and how many messages are consumed again",
                        "the cause's remedy; overflow-correction: offsets.fix=true on the broker or a 4.9.4+ broker",
                        "overflow-correction up to 4.9.3; the others in every release"),
                FindingCode.of(NEW_GROUP_FROM_ZERO, Severity.INFO, "a group with no offset was told to start a queue at 0, not its end, because the "
                                + "queue's first message is still in memory; it consumes what the queue holds whatever its ConsumeFromWhere",
                        "create the group's offsets before its first start (resetOffsetByTime) if it must not read older messages", "every release"),
                FindingCode.of(OVERFLOW_FIXED, Severity.INFO, "offsets.fix moved an offset past a queue's end to the end, where the broker "
                                + "(up to 4.9.3) would have moved it to 0", "find why the offset was past the end", "up to 4.9.3"));
    }

    @Override
    public List<MetricFamily> metrics() {
        return Collections.singletonList(MetricFamily.of(REWINDS, MetricFamily.Kind.COUNTER, "group, topic, cause",
                "consumer offsets that moved backward (per queue and event), by cause"));
    }

    @Override
    public void start(FeatureContext context) {
        BrokerOffsets.fix = context.fix();
        Rewinds.threshold = context.integer("offsets.rewind-threshold");
        context.everyInterval(new Runnable() {
            @Override
            public void run() {
                BrokerOffsets.settle();
                Rewinds.report();
            }
        });
        context.onStop(new Runnable() {
            @Override
            public void run() {
                Rewinds.reset();
                ClientOffsets.reset();
                BrokerOffsets.reset();
            }
        });
    }
}
