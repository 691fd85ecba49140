package io.rocketmqdoctor.advices.clientid;

import net.bytebuddy.asm.Advice;

/**
 * Woven into MQClientManager.getOrCreateMQClientInstance(ClientConfig, RPCHook) (getAndCreateMQClientInstance up to
 * 4.4.x): the fix before the instance's id is built, the check on the id the instance was found or created with.
 * Not ClientConfig.buildMQClientId(): 5.x producers build an id in their constructor (the produce accumulator's key),
 * before start() turns the instance name DEFAULT into pid#nanoTime, so that id names no client instance.
 */
public final class ClientIdAdvice {
    private ClientIdAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) Object config) throws Exception {
        ClientIds.beforeInstance(config);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(0) Object config, @Advice.Return Object instance) throws Exception {
        ClientIds.instance(config, instance);
    }
}
