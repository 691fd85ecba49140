package io.rocketmqdoctor.advices.retries;

import net.bytebuddy.asm.Advice;

/** Inlined into the push consumer's consume services and RocketMQ's exceptionSimpleDesc; RocketMQ's objects passed as Object. */
public final class RetriesAdvice {
    private RetriesAdvice() {}

    /** ConsumeRequest.run (concurrent and orderly): a new listener call, so no exception of an earlier one is blamed. */
    public static final class Consume {
        private Consume() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ListenerFailures.consumeStarted();
        }
    }

    /**
     * RemotingHelper/UtilAll.exceptionSimpleDesc: the one call ConsumeRequest.run makes with what the listener threw,
     * in its catch, right after the listener; the exception is kept nowhere else (not in the context, not in a hook).
     */
    public static final class Described {
        private Described() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Throwable thrown) {
            ListenerFailures.described(thrown);
        }
    }

    /** ConsumeMessageConcurrentlyService.sendMessageBack: a message of a failed listener call goes back to the broker. */
    public static final class SentBack {
        private SentBack() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("consumerGroup") String group, @Advice.FieldValue("defaultMQPushConsumer") Object consumer,
                          @Advice.Argument(0) Object msg, @Advice.Argument(1) Object context) throws Throwable {
            SentBackMessages.sentBack(group, consumer, msg, context);
        }
    }

    /** ConsumeMessageOrderlyService.checkReconsumeTimes: an orderly listener call failed; its messages are retried in place. */
    public static final class OrderlyRetry {
        private OrderlyRetry() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object service, @Advice.FieldValue("consumerGroup") String group,
                          @Advice.Argument(0) java.util.List<?> msgs) throws Throwable {
            SentBackMessages.orderlyFailed(service, group, msgs);
        }

        /** An orderly run() goes on to its next batch when every message went to the dead-letter topic: forget this one's. */
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit() {
            ListenerFailures.consumeStarted();
        }
    }
}
