package io.rocketmqdoctor.advices.rebalance;

import net.bytebuddy.asm.Advice;

/** Woven into the consumer's rebalance (every 20 s and on group changes; never on the message path). */
public final class RebalanceAdvice {
    private RebalanceAdvice() {}

    /** MQClientInstance.findConsumerIdList(topic, group): the ids the broker reports for the group. */
    public static final class ConsumerIds {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) String topic, @Advice.Argument(1) String group, @Advice.Return Object ids) {
            TwinConsumerDetector.consumerIds(topic, group, ids);
        }
    }

    /** RebalanceImpl.updateProcessQueueTableInRebalance(topic, mqSet, ...): the queues this consumer was given. */
    public static final class Assigned {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object rebalance, @Advice.Argument(0) String topic, @Advice.Argument(1) Object mqSet) throws Exception {
            TwinConsumerDetector.assigned(rebalance, topic, mqSet);
        }
    }
}
