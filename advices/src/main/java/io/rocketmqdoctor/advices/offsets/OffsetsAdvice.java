package io.rocketmqdoctor.advices.offsets;

import net.bytebuddy.asm.Advice;

import java.util.Map;

/** Inlined into the broker's store and offset manager and the client's offset store; RocketMQ's objects passed as Object. */
public final class OffsetsAdvice {
    private OffsetsAdvice() {}

    /** DefaultMessageStore.getMessage: a pull's answer. Only one whose next offset is below the one asked is looked at. */
    public static final class Pulled {
        private Pulled() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) String group, @Advice.Argument(1) String topic, @Advice.Argument(2) int queueId,
                         @Advice.Argument(3) long offset, @Advice.Return Object result) throws Throwable {
            if (result != null && BrokerOffsets.next(result) < offset) BrokerOffsets.moved(group, topic, queueId, offset, result);
        }
    }

    /** ConsumerOffsetManager.commitOffset(clientHost, topic@group, queueId, offset): before the table takes it. */
    public static final class Committing {
        private Committing() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object manager, @Advice.FieldValue("offsetTable") Map<?, ?> table, @Advice.Argument(0) String clientHost,
                          @Advice.Argument(1) String key, @Advice.Argument(2) int queueId, @Advice.Argument(3) long offset)
                throws Exception {
            Map<?, ?> queues = (Map<?, ?>) table.get(key);
            Object stored = queues == null ? null : queues.get(queueId);
            if (stored != null && offset < ((Long) stored).longValue()) {
                BrokerOffsets.lowerCommit(manager, table, clientHost, key, queueId, ((Long) stored).longValue(), offset);
            }
        }
    }

    /** ConsumerManageProcessor.queryConsumerOffset: a consumer asks where to start a queue. */
    public static final class Queried {
        private Queried() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("brokerController") Object broker, @Advice.Argument(1) Object request,
                         @Advice.Return Object response) throws Exception {
            BrokerOffsets.queried(broker, request, response);
        }
    }

    /** AdminBrokerProcessor.resetOffset: an operator's reset; the lower commits that follow it are that reset. */
    public static final class ResetAsked {
        private ResetAsked() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object request) {
            BrokerOffsets.resetAsked(request);
        }
    }

    /** SlaveSynchronize.syncConsumerOffset: the slave's table before and after the master's is copied over it. */
    public static final class SlaveSync {
        private SlaveSync() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("brokerController") Object broker) throws Exception {
            return BrokerOffsets.beforeSlaveSync(broker);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("brokerController") Object broker, @Advice.Enter Object before) throws Exception {
            BrokerOffsets.afterSlaveSync(broker, before);
        }
    }

    /** RemoteBrokerOffsetStore.updateOffset(mq, offset, increaseOnly): only a non-increasing update can go backward. */
    public static final class Updating {
        private Updating() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("offsetTable") Map<?, ?> table, @Advice.FieldValue("groupName") String group,
                          @Advice.Argument(0) Object mq, @Advice.Argument(1) long offset, @Advice.Argument(2) boolean increaseOnly)
                throws Throwable {
            if (!increaseOnly) ClientOffsets.updating(group, mq, table.get(mq), offset);
        }
    }

    /** RemoteBrokerOffsetStore.updateAndFreezeOffset(mq, offset) (5.2.0+): the correction and the reset set offsets with it. */
    public static final class Freezing {
        private Freezing() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("offsetTable") Map<?, ?> table, @Advice.FieldValue("groupName") String group,
                          @Advice.Argument(0) Object mq, @Advice.Argument(1) long offset) throws Throwable {
            ClientOffsets.updating(group, mq, table.get(mq), offset);
        }
    }

    /** PullAPIWrapper.processPullResult: an OFFSET_ILLEGAL answer is kept for the update that follows it. */
    public static final class PullResult {
        private PullResult() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object mq, @Advice.Return Object result) throws Throwable {
            ClientOffsets.pulled(mq, result);
        }
    }

    /** MQClientInstance.resetOffset: the broker's reset request, applied on this thread. */
    public static final class Reset {
        private Reset() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ClientOffsets.resetting(true);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit() {
            ClientOffsets.resetting(false);
        }
    }
}
