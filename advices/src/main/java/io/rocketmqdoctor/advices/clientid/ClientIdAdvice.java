package io.rocketmqdoctor.advices.clientid;

import net.bytebuddy.asm.Advice;

/** Woven into ClientConfig.buildMQClientId(): the fix before the id is built, the check after. Client start only. */
public final class ClientIdAdvice {
    private ClientIdAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object config) throws Exception {
        ClientIds.beforeBuild(config);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object config, @Advice.Return String id) throws Exception {
        ClientIds.built(config, id);
    }
}
