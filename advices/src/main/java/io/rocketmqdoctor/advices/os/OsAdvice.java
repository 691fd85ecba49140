package io.rocketmqdoctor.advices.os;

import net.bytebuddy.asm.Advice;

/** BrokerController.start() returned: this JVM is a broker, so its host's settings matter. */
public final class OsAdvice {
    private OsAdvice() {}

    public static final class BrokerStarted {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            OsFeature.brokerStarted();
        }
    }
}
