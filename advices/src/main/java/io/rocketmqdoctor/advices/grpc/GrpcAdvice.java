package io.rocketmqdoctor.advices.grpc;

import net.bytebuddy.asm.Advice;

/**
 * Inlined into each RPC method of the gRPC client's ClientManagerImpl: the clock on entry; on exit the RPC (the
 * method's name, a constant woven in), the manager (whose channel grpc.fix may reset), the endpoint and the future the
 * method returned go to {@link GrpcCalls},
 * which times the RPC when the future completes. Parameters carry JDK types only: the agent never links a type of
 * the client's relocated gRPC or Guava.
 */
public final class GrpcAdvice {
    private GrpcAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Origin("#m") String method, @Advice.This Object manager,
                     @Advice.Argument(0) Object endpoints, @Advice.Return Object future) {
        GrpcCalls.started(method, manager, endpoints, future, start);
    }
}
