package io.rocketmqdoctor.advices.brokerbusy;

import net.bytebuddy.asm.Advice;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/** The producer's side of a broker's SYSTEM_BUSY: the answer as it becomes an exception, and the producer's start. */
public final class BrokerBusyAdvice {
    private BrokerBusyAdvice() {}

    /**
     * MQClientAPIImpl.processSendResponse: every send's answer (sync, and async in its callback) passes here; an
     * answer that is not a send status throws MQBrokerException. Only a throw is looked at.
     */
    public static final class Answer {
        private Answer() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown, @Advice.Argument(0) String brokerName,
                         @Advice.Argument(1) Object msg, @Advice.Argument(2) Object response) {
            if (thrown != null && ((RemotingCommand) response).getCode() == BusyBrokers.SYSTEM_BUSY) {
                BusyBrokers.answered(brokerName, msg, ((RemotingCommand) response).getRemark());
            }
        }
    }

    /** DefaultMQProducerImpl.start(boolean): brokerbusy.fix adds SYSTEM_BUSY to its retry codes (4.9.2 to 5.2.x). */
    public static final class Started {
        private Started() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object producerImpl) throws Exception {
            BusyBrokers.started(producerImpl);
        }
    }
}
