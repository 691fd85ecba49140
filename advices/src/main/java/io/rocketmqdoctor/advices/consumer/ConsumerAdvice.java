package io.rocketmqdoctor.advices.consumer;

import net.bytebuddy.asm.Advice;

import java.util.concurrent.ThreadPoolExecutor;

/** Inlined into the push consumer's classes; JDK types only, RocketMQ's objects passed as Object. */
public final class ConsumerAdvice {
    private ConsumerAdvice() {}

    /** ConsumeMessageConcurrentlyService / ConsumeMessageOrderlyService constructor: its pool exists now. */
    public static final class PoolBuilt {
        private PoolBuilt() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("consumeExecutor") ThreadPoolExecutor pool, @Advice.FieldValue("consumerGroup") String group) {
            ConsumerPools.built(pool, group);
        }
    }

    /** ConsumeRequest.run: one consume call. */
    public static final class Consume {
        private Consume() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Advice.This Object request) {
            return ConsumeTimes.started(request);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @Advice.FieldValue("messageQueue") Object queue, @Advice.This Object request)
                throws Exception {
            ConsumeTimes.done(start, queue, request);
        }
    }

    /** ConsumeMessageOrderlyService.ConsumeRequest.run: the loop of orderly calls on one queue. */
    public static final class OrderlyRun {
        private OrderlyRun() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object request, @Advice.FieldValue("messageQueue") Object queue) {
            ConsumeTimes.orderlyRun(request, queue);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit() {
            ConsumeTimes.orderlyRunDone();
        }
    }

    /** ProcessQueue.takeMessages: an orderly batch is handed to the listener. */
    public static final class OrderlyTaken {
        private OrderlyTaken() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return java.util.List<?> batch) {
            ConsumeTimes.orderlyTaken(batch);
        }
    }

    /** ConsumeMessageOrderlyService.processConsumeResult: the orderly listener call returned. */
    public static final class OrderlyConsumed {
        private OrderlyConsumed() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() throws Exception {
            ConsumeTimes.orderlyConsumed();
        }
    }

    /** DefaultMQPushConsumerImpl.start: its flow-control counts are read from here on. */
    public static final class Started {
        private Started() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object impl) throws Exception {
            ConsumerPools.started(impl);
        }
    }

    /** ConsumerManager.registerConsumer on the broker: one consumer's heartbeat. */
    public static final class Registered {
        private Registered() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object manager, @Advice.Argument(0) String group, @Advice.Argument(1) Object client,
                          @Advice.Argument(5) java.util.Set<?> subscriptions) throws Exception {
            MixedSubscriptions.registered(manager, group, client, subscriptions);
        }
    }
}
