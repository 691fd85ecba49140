package io.rocketmqdoctor.advices.remoting;

import net.bytebuddy.asm.Advice;

/** Woven into the client's route lookup and its start: feeds {@link RouteAges} and {@link ClientInstances}. */
public final class RouteAdvice {
    private RouteAdvice() {}

    /** MQClientAPIImpl.getTopicRouteInfoFromNameServer(String topic, long timeout, boolean allowTopicNotExist). */
    public static final class Lookup {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) String topic, @Advice.Return Object route, @Advice.Thrown Throwable thrown) {
            RouteAges.looked(topic, route, thrown);
        }
    }

    /** MQClientInstance.start(). */
    public static final class Start {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object instance) {
            ClientInstances.started(instance);
        }
    }
}
