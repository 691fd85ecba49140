package io.rocketmqdoctor.advices.clientid;

import net.bytebuddy.asm.Advice;

/**
 * Woven into MQClientManager.getOrCreateMQClientInstance(ClientConfig, RPCHook) (getAndCreateMQClientInstance up to
 * 4.5.x): the fixes before the instance's id is built, the checks on the instance it was found or created with.
 * Not ClientConfig.buildMQClientId(): 5.x producers build an id in their constructor (the produce accumulator's key),
 * before start() turns the instance name DEFAULT into pid#nanoTime, so that id names no client instance.
 */
public final class ClientIdAdvice {
    private ClientIdAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.This Object manager, @Advice.Argument(0) Object config) throws Exception {
        ClientIds.beforeInstance(config);
        return SharedInstances.before(manager, config);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object manager, @Advice.Argument(0) Object config, @Advice.Return Object instance,
                     @Advice.Enter boolean existed) throws Exception {
        ClientIds.instance(config, instance);
        SharedInstances.after(manager, config, instance, existed);
    }

    /** MQClientManager.removeClientFactory(String): an instance shut down (churn). */
    public static final class Removed {
        private Removed() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            SharedInstances.removed();
        }
    }
}
