package io.rocketmqdoctor.advices.remoting;

import net.bytebuddy.asm.Advice;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/**
 * Inlined into NettyRemotingClient's invokeSync, invokeAsync, invokeOneway and (5.2+) invoke. The enter
 * advice reads the clock; the exit advice hands the elapsed time, the method (a constant string woven
 * in), the request code and the outcome to {@link ClientCalls}. Parameters carry JDK types only, so the
 * agent never loads a RocketMQ class; the cast resolves in RocketMQ's own class loader.
 */
public final class RemotingAdvice {
    private RemotingAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Origin("#m") String method,
                     @Advice.Argument(0) String addr, @Advice.Argument(1) Object request,
                     @Advice.Thrown Throwable thrown,
                     @Advice.FieldValue("namesrvAddrChoosed") Object chosen,
                     @Advice.FieldValue("namesrvAddrList") Object namesrvs, @Advice.This Object client) {
        ClientCalls.done(method, addr, ((RemotingCommand) request).getCode(), request,
                System.nanoTime() - start, thrown, chosen, namesrvs, client);
    }
}
