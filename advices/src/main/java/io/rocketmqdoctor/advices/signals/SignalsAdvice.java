package io.rocketmqdoctor.advices.signals;

import net.bytebuddy.asm.Advice;

/** BrokerController.start() / NamesrvController.start() returned: a RocketMQ server runs in this JVM. */
public final class SignalsAdvice {
    private SignalsAdvice() {}

    public static final class BrokerStarted {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            SignalsWatch.serverStarted("broker");
        }
    }

    public static final class NamesrvStarted {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            SignalsWatch.serverStarted("namesrv");
        }
    }
}
