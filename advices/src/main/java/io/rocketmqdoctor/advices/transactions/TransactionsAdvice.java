package io.rocketmqdoctor.advices.transactions;

import net.bytebuddy.asm.Advice;

import java.util.Map;

/** Inlined into the broker's transaction service and the producer; RocketMQ's objects passed as Object. */
public final class TransactionsAdvice {
    private TransactionsAdvice() {}

    /** TransactionalMessageServiceImpl.prepareMessage / asyncPrepareMessage: a half message arrives at the broker. */
    public static final class HalfArrived {
        private HalfArrived() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object msg) throws Throwable {
            ProducerClocks.halfArrived(msg);
        }
    }

    /** DefaultTransactionalMessageCheckListener.resolveDiscardMsg: a half message checked transactionCheckMax times is dropped. */
    public static final class Discarded {
        private Discarded() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object msg) throws Exception {
            HalfDiscards.discarded(msg);
        }
    }

    /** TransactionalMessageServiceImpl.batchSendOpMessage (5.1.0+): the op-batch thread's next wake-up; 0 is "at once". */
    public static final class OpBatch {
        private OpBatch() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object service, @Advice.Return(readOnly = false) long next,
                         @Advice.FieldValue("deleteContext") Map<?, ?> pending) throws Exception {
            if (next == 0L) {
                OpBatchSpin.zeroes++;
                if (OpBatchSpin.fix) next = OpBatchSpin.idleWake(service, pending);
            }
        }
    }

    /** DefaultMQProducerImpl.checkTransactionState: a broker asks this producer about a transaction. */
    public static final class Checked {
        private Checked() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("defaultMQProducer") Object producer, @Advice.Argument(0) String broker,
                          @Advice.Argument(1) Object msg) throws Throwable {
            TransactionChecks.checked(producer, broker, msg);
        }
    }

    /** DefaultMQProducerImpl.endTransaction(SendResult, LocalTransactionState, Throwable), up to 4.8.x. */
    public static final class Ended3 {
        private Ended3() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("defaultMQProducer") Object producer, @Advice.Argument(0) Object sendResult,
                          @Advice.Argument(1) Object state) throws Throwable {
            TransactionChecks.ending(producer, sendResult, state);
        }
    }

    /** DefaultMQProducerImpl.endTransaction(Message, SendResult, LocalTransactionState, Throwable), 4.9.0+. */
    public static final class Ended4 {
        private Ended4() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("defaultMQProducer") Object producer, @Advice.Argument(1) Object sendResult,
                          @Advice.Argument(2) Object state) throws Throwable {
            TransactionChecks.ending(producer, sendResult, state);
        }
    }
}
