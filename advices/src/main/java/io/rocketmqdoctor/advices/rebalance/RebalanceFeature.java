package io.rocketmqdoctor.advices.rebalance;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.findings.Severity;
import java.util.Collections;
import io.rocketmqdoctor.config.ConfigOption;
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
 * Switch {@code rebalance}: judges each clustering rebalance by its result. The consumer id list comes from
 * MQClientInstance.findConsumerIdList; the queues this consumer is given arrive at
 * RebalanceImpl.updateProcessQueueTableInRebalance. Both have the same descriptors from 4.3.0 to 5.5.x, so it
 * holds whether rebalanceByTopic returns void (4.x) or boolean (5.x), and for every allocation strategy.
 */
public final class RebalanceFeature implements Feature {
    public static final String DUPLICATE_CLIENT_ID = "rebalance.duplicate-client-id";
    public static final String ORPHANED_QUEUES = "rebalance.orphaned-queues";
    public static final String NOT_IN_CONSUMER_LIST = "rebalance.not-in-consumer-list";
    public static final String FLAPPING = "rebalance.flapping";

    static final String INSTANCE = "org.apache.rocketmq.client.impl.factory.MQClientInstance";
    static final String REBALANCE = "org.apache.rocketmq.client.impl.consumer.RebalanceImpl";

    @Override
    public String name() { return "rebalance"; }

    @Override
    public String description() {
        return "duplicate consumer ids, orphaned queues, a consumer missing from its group's list, assignment flapping";
    }

    @Override
    public boolean hasFix() { return false; }

    @Override
    public List<ConfigOption> options() {
        return Arrays.asList(
                ConfigOption.integer("rebalance.flapping.changes", 5, 1, 10_000,
                        "assignment changes of one consumer and topic within rebalance.flapping.window that make rebalance.flapping"),
                ConfigOption.duration("rebalance.flapping.window", "5m", "window for rebalance.flapping.changes"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Arrays.asList(
                TypeInstrumentation.of(INSTANCE, VersionRange.KNOWN)
                        .advise("findConsumerIdList(String,String)",
                                Methods.named("findConsumerIdList").args(String.class, String.class), RebalanceAdvice.ConsumerIds.class),
                TypeInstrumentation.of(REBALANCE, VersionRange.KNOWN)
                        // TwinConsumerDetector replays the allocation from these
                        .reads(field(null, "consumerGroup"), field(null, "mQClientFactory"), field(null, "topicSubscribeInfoTable"),
                                field(null, "allocateMessageQueueStrategy"), method(INSTANCE, "getClientId", 0),
                                method("org.apache.rocketmq.common.message.MessageQueue", "getBrokerName", 0),
                                method("org.apache.rocketmq.common.message.MessageQueue", "getQueueId", 0))
                        .advise("updateProcessQueueTableInRebalance(String,Set,boolean)",
                                Methods.named("updateProcessQueueTableInRebalance").args(3).arg(0, String.class)
                                        .arg(1, java.util.Set.class).arg(2, boolean.class),
                                RebalanceAdvice.Assigned.class));
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(DUPLICATE_CLIENT_ID, Severity.ERROR, "the group's consumer id list holds an id more than once: twin consumers take the same queues",
                        "make instance names unique (clientid.collision-prone); clientid.fix=true", "any"),
                FindingCode.of(ORPHANED_QUEUES, Severity.ERROR, "queues that no distinct consumer id is given: nobody pulls them and their backlog grows",
                        "remove the duplicate ids; see rebalance.duplicate-client-id", "any"),
                FindingCode.of(NOT_IN_CONSUMER_LIST, Severity.WARN, "this consumer's own id is missing from the lists the brokers returned, in answers a heartbeat interval (30 s) apart",
                        "check the consumer's heartbeats to that broker", "any"),
                FindingCode.of(FLAPPING, Severity.WARN, "one consumer's assignment changed more than rebalance.flapping.changes times in the window",
                        "look for consumers joining and leaving (restarts, timeouts)", "any"));
    }

    @Override
    public List<MetricFamily> metrics() { return Collections.emptyList(); }

    @Override
    public void start(FeatureContext context) {
        TwinConsumerDetector.flappingChanges = (int) context.integer("rebalance.flapping.changes");
        TwinConsumerDetector.flappingWindowMillis = context.millis("rebalance.flapping.window");
        context.onStop(new Runnable() {
            @Override
            public void run() { TwinConsumerDetector.reset(); }
        });
    }
}
